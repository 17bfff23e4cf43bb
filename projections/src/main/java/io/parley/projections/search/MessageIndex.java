package io.parley.projections.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.get_alias.IndexAliases;
import io.parley.api.privacy.PersonalDataCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code messages} index: its explicit mapping, its two aliases and the bulk writes into it.
 * <p>
 * Every concrete index ({@code messages-v1}, {@code messages-v2}, ...) is reached through aliases only: queries
 * use the read alias {@code messages}, the projection writes through {@code messages-write}. Normally both name
 * the same index; a rebuild (processor reset) creates the next generation, moves only the write alias, replays
 * into it, and moves the read alias when the replay has caught up ({@link #promoteWriteIndex()}), in one atomic
 * {@code _aliases} call. There is no {@code _reindex} on the embedded node: replaying events is the rebuild.
 * <p>
 * Projection state kept in MongoDB (memberships, receipts still pending) is per generation as well, in
 * collections suffixed with the concrete index name, so a rebuild never disturbs what the live index is read with.
 */
@Component
public class MessageIndex {
    /** Documents per page while erasing a deleted account's messages. */
    private static final int ERASE_PAGE = 500;


    private static final Logger log = LoggerFactory.getLogger(MessageIndex.class);

    private final ElasticsearchClient client;
    private final SearchIndexProperties properties;
    private volatile boolean ensured;

    public MessageIndex(ElasticsearchClient client, SearchIndexProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    public ElasticsearchClient client() {
        return client;
    }

    public String readAlias() {
        return properties.alias();
    }

    public String writeAlias() {
        return properties.writeAlias();
    }

    /**
     * Creates the first generation with both aliases unless the aliases exist. Called lazily by the projection
     * and by queries: the node is guaranteed up by then (the embedded stack holds start-up until it answers,
     * before any event processor starts), and a node that went away makes the batch fail and be retried.
     */
    public void ensureIndex() {
        if (ensured) {
            return;
        }
        synchronized (this) {
            if (ensured) {
                return;
            }
            try {
                boolean read = client.indices().existsAlias(a -> a.name(properties.alias())).value();
                boolean write = client.indices().existsAlias(a -> a.name(properties.writeAlias())).value();
                if (!read && !write) {
                    createGeneration(nextGeneration(), true);
                } else if (!write) {
                    // an index from before the write alias existed: write where we read
                    String current = concreteIndex(properties.alias()).orElseThrow();
                    client.indices().updateAliases(u -> u.actions(a -> a.add(add -> add.index(current)
                            .alias(properties.writeAlias()).isWriteIndex(true))));
                } else if (!read) {
                    String current = concreteIndex(properties.writeAlias()).orElseThrow();
                    client.indices().updateAliases(u -> u.actions(a -> a.add(add -> add.index(current)
                            .alias(properties.alias()))));
                }
                // fields added since a generation was created (adding a field to a mapping is allowed, and
                // idempotent): a strict mapping would refuse the first document carrying one
                client.indices().putMapping(p -> p.index(properties.writeAlias())
                        .properties(Fields.CHANGED_SEQ, f -> f.long_(l -> l))
                        .properties(Fields.MENTIONS, f -> f.keyword(k -> k))
                        .properties(Fields.HIDDEN_FROM, f -> f.keyword(k -> k)));
                ensured = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The concrete index the read alias names (what queries see). */
    public String readIndex() {
        ensureIndex();
        return concreteIndex(properties.alias()).orElseThrow(() -> new IllegalStateException("alias "
                + properties.alias() + " names no index"));
    }

    /** The concrete index the write alias names (what the projection builds). */
    public String writeIndex() {
        ensureIndex();
        return concreteIndex(properties.writeAlias()).orElseThrow(() -> new IllegalStateException("alias "
                + properties.writeAlias() + " names no index"));
    }

    /** Starts a rebuild: a fresh generation becomes the write target; the read alias keeps serving the old one. */
    public String startRebuild() {
        ensureIndex();
        String next = createGeneration(nextGeneration(), false);
        String previous = writeIndex();
        try {
            client.indices().updateAliases(u -> u
                    .actions(a -> a.remove(r -> r.index(previous).alias(properties.writeAlias())))
                    .actions(a -> a.add(add -> add.index(next).alias(properties.writeAlias()).isWriteIndex(true))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("Rebuilding the message index into {} while {} keeps serving searches", next, previous);
        return next;
    }

    /**
     * When the read alias still names an older generation, moves it to the write index atomically and deletes
     * the old generation. Returns the index that was retired, if any.
     */
    public Optional<String> promoteWriteIndex() {
        String write = writeIndex();
        String read = readIndex();
        if (write.equals(read)) {
            return Optional.empty();
        }
        try {
            client.indices().updateAliases(u -> u
                    .actions(a -> a.remove(r -> r.index(read).alias(properties.alias())))
                    .actions(a -> a.add(add -> add.index(write).alias(properties.alias()))));
            client.indices().delete(d -> d.index(read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("Message index rebuilt: searches now read {}, {} deleted", write, read);
        return Optional.of(read);
    }

    /**
     * Hands this index's read and write aliases to the generation {@code rebuilt} was built in (behind aliases of
     * its own), dropping those, in one atomic {@code _aliases} call: searches go from the old generation to the
     * new one with nothing in between. Returns the generations that lost the aliases, for the caller to delete
     * once no reader still names them.
     */
    public Set<String> adopt(MessageIndex rebuilt) {
        String target = rebuilt.writeIndex();
        Set<String> reading = indexesOf(properties.alias());
        Set<String> writing = indexesOf(properties.writeAlias());
        try {
            client.indices().updateAliases(u -> {
                reading.stream().filter(i -> !i.equals(target))
                        .forEach(i -> u.actions(a -> a.remove(r -> r.index(i).alias(properties.alias()))));
                writing.stream().filter(i -> !i.equals(target))
                        .forEach(i -> u.actions(a -> a.remove(r -> r.index(i).alias(properties.writeAlias()))));
                return u.actions(a -> a.remove(r -> r.index(target).alias(rebuilt.readAlias())))
                        .actions(a -> a.remove(r -> r.index(target).alias(rebuilt.writeAlias())))
                        .actions(a -> a.add(add -> add.index(target).alias(properties.alias())))
                        .actions(a -> a.add(add -> add.index(target).alias(properties.writeAlias()).isWriteIndex(true)));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ensured = true;
        Set<String> retired = new TreeSet<>(reading);
        retired.addAll(writing);
        retired.remove(target);
        log.info("Searches now read the rebuilt generation {}; {} retired", target, retired);
        return retired;
    }

    /** Deletes every generation this index's write alias names (an abandoned rebuild). */
    public void deleteWriteGenerations() {
        indexesOf(properties.writeAlias()).forEach(this::delete);
        ensured = false;
    }

    /**
     * Deletes a generation retired earlier unless any alias names it again (this index's, or a rebuild's):
     * generation numbers restart from the highest that exists, so after every index was deleted a new generation,
     * live or still being rebuilt, may carry the name of one retired before. A generation is created together with
     * its write alias, so an unnamed one is no one's. Returns whether it was deleted.
     */
    public boolean deleteRetired(String concreteIndex) {
        if (!aliasesOf(concreteIndex).isEmpty()) {
            return false;
        }
        delete(concreteIndex);
        return true;
    }

    private Set<String> aliasesOf(String concreteIndex) {
        try {
            return client.indices().getAlias(a -> a.index(concreteIndex)).result().values().stream()
                    .flatMap(aliases -> aliases.aliases().keySet().stream())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return new TreeSet<>();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes one concrete generation (missing is fine). */
    public void delete(String concreteIndex) {
        try {
            client.indices().delete(d -> d.index(concreteIndex).ignoreUnavailable(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> indexesOf(String alias) {
        try {
            return new TreeSet<>(client.indices().getAlias(a -> a.name(alias)).result().keySet());
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return new TreeSet<>();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the operations as {@code _bulk} requests of at most {@code maxBulkOperations} each. Failures the
     * projection expects are ignored: an update of a message document that is not there (its {@code MessageSent}
     * was dead-lettered). Anything else throws, so the Axon batch rolls back and is retried.
     */
    public void bulk(List<BulkOperation> operations) {
        int max = Math.max(1, properties.maxBulkOperations());
        for (int from = 0; from < operations.size(); from += max) {
            List<BulkOperation> chunk = operations.subList(from, Math.min(operations.size(), from + max));
            BulkResponse response;
            try {
                response = client.bulk(b -> b.operations(chunk));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (response.errors()) {
                for (BulkResponseItem item : response.items()) {
                    if (item.error() != null && item.status() != 404) {
                        throw new IllegalStateException("Indexing " + item.id() + " failed: " + item.error().type()
                                + ": " + item.error().reason());
                    }
                }
            }
        }
    }

    /**
     * Account deletion (README, Account deletion): the text and file name of every message the account sent become
     * {@code [erased]}, in the generation being written and in the one being read (they differ during a rebuild),
     * refreshed at once so no search finds them after this returns. Idempotent; its id and times stay.
     */
    public void eraseSender(String accountId) {
        // search and bulk-update, not _update_by_query: that lives in Elasticsearch's reindex module, which the
        // embedded node's distribution (integ-test-zip) does not carry
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(List.of(properties.writeAlias(), properties.alias())));
        Map<String, Object> erased = new HashMap<>();
        erased.put(Fields.TEXT, PersonalDataCipher.ERASED);
        Map<String, Object> erasedWithFile = new HashMap<>(erased);
        erasedWithFile.put(Fields.FILE_NAME, PersonalDataCipher.ERASED);
        try {
            List<FieldValue> after = null;
            while (true) {
                List<FieldValue> from = after;
                SearchResponse<Map> page = client.search(q -> {
                    q.index(targets).ignoreUnavailable(true).allowNoIndices(true).size(ERASE_PAGE)
                            .query(t -> t.term(f -> f.field(Fields.SENDER_ID).value(accountId)))
                            .sort(o -> o.field(f -> f.field(Fields.KEY)))
                            .source(c -> c.filter(f -> f.includes(Fields.FILE_NAME)));
                    if (from != null) {
                        q.searchAfter(from);
                    }
                    return q;
                }, Map.class);
                List<Hit<Map>> hits = page.hits().hits();
                if (hits.isEmpty()) {
                    break;
                }
                List<BulkOperation> updates = new ArrayList<>();
                for (Hit<Map> hit : hits) {
                    boolean hasFile = hit.source() != null && hit.source().get(Fields.FILE_NAME) != null;
                    Map<String, Object> doc = hasFile ? erasedWithFile : erased;
                    updates.add(BulkOperation.of(b -> b.update(u -> u.index(hit.index()).id(hit.id())
                            .action(a -> a.doc(doc)))));
                }
                bulk(updates);
                after = hits.get(hits.size() - 1).sort();
                if (hits.size() < ERASE_PAGE) {
                    break;
                }
            }
            client.indices().refresh(r -> r.index(targets).ignoreUnavailable(true).allowNoIndices(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes everything written so far searchable now (tests and the benchmark; the projection never needs it). */
    public void refresh() {
        try {
            client.indices().refresh(r -> r.index(properties.writeAlias(), properties.alias()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> concreteIndex(String alias) {
        try {
            Map<String, IndexAliases> result = client.indices().getAlias(a -> a.name(alias)).result();
            return result.keySet().stream().sorted().reduce((first, second) -> second);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int nextGeneration() {
        try {
            return client.indices().get(g -> g.index(properties.indexPrefix() + "*")).result().keySet().stream()
                    .map(name -> name.substring(properties.indexPrefix().length()))
                    .filter(suffix -> suffix.matches("\\d+"))
                    .mapToInt(Integer::parseInt).max().orElse(0) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String createGeneration(int generation, boolean withReadAlias) {
        String name = properties.indexPrefix() + generation;
        try {
            client.indices().create(c -> {
                c.index(name)
                        .settings(s -> s.numberOfShards("1").numberOfReplicas("0")
                                .refreshInterval(t -> t.time(properties.refreshInterval())))
                        .mappings(mapping())
                        .aliases(properties.writeAlias(), a -> a.isWriteIndex(true));
                if (withReadAlias) {
                    c.aliases(properties.alias(), a -> a);
                }
                return c;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("Created message index {}", name);
        return name;
    }

    /**
     * Strict mapping, nothing guessed. Text uses the core {@code standard} analyzer: Unicode word segmentation and
     * lower-casing suit chat in any language, and it is there without {@code analysis-common} (no stemming or
     * folding filters exist on the embedded node, so no language analyzer would be honest here).
     * Ids and enums are keywords (exact filters, terms aggregations); {@code key} (= document id) is the unique
     * tie-breaker of the search_after cursor, with doc values so sorting on it is cheap.
     */
    static TypeMapping mapping() {
        return TypeMapping.of(m -> m.dynamic(DynamicMapping.Strict)
                .properties(Fields.KEY, p -> p.keyword(k -> k))
                .properties(Fields.CONVERSATION_ID, p -> p.keyword(k -> k))
                .properties(Fields.SEQ, p -> p.long_(l -> l))
                .properties(Fields.MESSAGE_ID, p -> p.keyword(k -> k.index(false)))
                .properties(Fields.SENDER_ID, p -> p.keyword(k -> k))
                .properties(Fields.MENTIONS, p -> p.keyword(k -> k))
                .properties(Fields.HIDDEN_FROM, p -> p.keyword(k -> k))
                .properties(Fields.TYPE, p -> p.keyword(k -> k))
                .properties(Fields.TEXT, p -> p.text(t -> t.analyzer("standard")))
                .properties(Fields.MEDIA_KIND, p -> p.keyword(k -> k))
                .properties(Fields.MEDIA_CONTENT_TYPE, p -> p.keyword(k -> k))
                .properties(Fields.MEDIA_SIZE, p -> p.long_(l -> l))
                .properties(Fields.FILE_NAME, p -> p.text(t -> t.analyzer("standard")))
                .properties(Fields.REPLY_TO, p -> p.long_(l -> l.index(false)))
                .properties(Fields.SENT_AT, p -> p.date(d -> d))
                .properties(Fields.EDITED_AT, p -> p.date(d -> d))
                .properties(Fields.CHANGED_SEQ, p -> p.long_(l -> l))
                .properties(Fields.DELETED, p -> p.boolean_(b -> b))
                .properties(Fields.DELIVERED_AT, p -> p.date(d -> d))
                .properties(Fields.READ_AT, p -> p.date(d -> d))
                .properties(Fields.DELIVERED_MS, p -> p.long_(l -> l))
                .properties(Fields.READ_MS, p -> p.long_(l -> l)));
    }

    /** Field names of a message document, shared with the query side. */
    public static final class Fields {
        public static final String KEY = "key";
        public static final String CONVERSATION_ID = "conversationId";
        public static final String SEQ = "seq";
        public static final String MESSAGE_ID = "messageId";
        public static final String SENDER_ID = "senderId";
        /** The member ids the message mentions (a keyword array): "messages mentioning me" filters on it. */
        public static final String MENTIONS = "mentions";
        /** Members the message is withheld from (they blocked its sender): their searches never find it. */
        public static final String HIDDEN_FROM = "hiddenFrom";
        public static final String TYPE = "type";
        public static final String TEXT = "text";
        public static final String MEDIA_KIND = "mediaKind";
        public static final String MEDIA_CONTENT_TYPE = "mediaContentType";
        public static final String MEDIA_SIZE = "mediaSize";
        public static final String FILE_NAME = "fileName";
        public static final String REPLY_TO = "replyTo";
        public static final String SENT_AT = "sentAt";
        public static final String EDITED_AT = "editedAt";
        /**
         * The seq of the last edit or deletion of the message: a former member whose interval ended before it
         * does not find the message (docs/design.md, section 4, "Late joiners and former members").
         */
        public static final String CHANGED_SEQ = "changedSeq";
        public static final String DELETED = "deleted";
        public static final String DELIVERED_AT = "deliveredAt";
        public static final String READ_AT = "readAt";
        public static final String DELIVERED_MS = "deliveredMs";
        public static final String READ_MS = "readMs";

        private Fields() {
        }
    }

    /** Document id: one message = one document, whatever happens to it; replays overwrite, never duplicate. */
    public static String documentId(String conversationId, long seq) {
        return conversationId + ":" + seq;
    }
}
