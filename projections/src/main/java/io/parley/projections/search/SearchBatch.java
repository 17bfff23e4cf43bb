package io.parley.projections.search;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one Axon batch of the {@code message-search} processor changes, collected in memory and written at the
 * end: one {@code _bulk} with at most one operation per message document (a send, its edit and its receipts in
 * the same batch become one index operation), then one MongoDB {@code bulkWrite} per state collection. Only the
 * documents the batch touches are read, by {@code _id} ({@code $in}), before the first event is applied.
 */
final class SearchBatch {

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final MessageIndex index;
    private final int pendingCap;
    private final MongoCollection<Document> memberships;
    private final MongoCollection<Document> receipts;

    /** Per document id: a full document (index) or the fields to change (partial update), in first-touch order. */
    private final Map<String, DocumentChange> changes = new LinkedHashMap<>();
    private final Map<String, Document> membershipDocs = new HashMap<>();
    private final Set<String> dirtyMemberships = new LinkedHashSet<>();
    private final Map<String, PendingReceipts> pending = new HashMap<>();
    private final Map<String, Document> prefetchedChunks = new HashMap<>();
    /** Every id the prefetch asked for: one it did not find does not exist, no need to ask again. */
    private final Set<String> prefetchedIds = new HashSet<>();
    private final Set<String> dirtyPending = new LinkedHashSet<>();
    /** Accounts deleted in this batch: their messages are erased after the batch's own writes. */
    private final Set<String> erasedSenders = new LinkedHashSet<>();

    SearchBatch(MessageIndex index, MongoDatabase database, String writeIndex, int pendingCap) {
        this.index = index;
        this.pendingCap = pendingCap;
        this.memberships = database.getCollection(SearchMemberships.collection(writeIndex));
        this.receipts = database.getCollection(PendingReceipts.collection(writeIndex));
    }

    /**
     * Reads, in two round trips, the state documents the batch's events will likely touch: memberships, and
     * the pending-receipts heads with the chunks the events' seqs fall in ({@code pendingIds}); anything else
     * is read when first needed.
     */
    void prefetch(Collection<String> userIds, Collection<String> conversationIds, Collection<String> pendingIds) {
        if (!userIds.isEmpty()) {
            memberships.find(Filters.in("_id", new HashSet<>(userIds)))
                    .forEach(d -> membershipDocs.put(d.getString("_id"), d));
        }
        if (!pendingIds.isEmpty()) {
            prefetchedIds.addAll(pendingIds);
            Map<String, Document> heads = new HashMap<>();
            receipts.find(Filters.in("_id", new HashSet<>(pendingIds))).forEach(d -> {
                String id = d.getString("_id");
                (PendingReceipts.isChunkId(id) ? prefetchedChunks : heads).put(id, d);
            });
            conversationIds.forEach(id -> pending.put(id, PendingReceipts.of(id, heads.get(id), this::chunks)));
        }
    }

    /** Chunk documents by id: prefetched ones first, the rest in one query. */
    private Map<String, Document> chunks(Collection<String> ids) {
        Map<String, Document> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Document doc = prefetchedChunks.remove(id);
            if (doc != null) {
                found.put(id, doc);
            } else if (!prefetchedIds.contains(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            receipts.find(Filters.in("_id", missing)).forEach(d -> found.put(d.getString("_id"), d));
        }
        return found;
    }

    void index(String id, Map<String, Object> document) {
        changes.put(id, new DocumentChange(true, new HashMap<>(document)));
    }

    void update(String id, Map<String, Object> fields) {
        DocumentChange change = changes.get(id);
        if (change == null) {
            changes.put(id, new DocumentChange(false, new HashMap<>(fields)));
        } else {
            change.fields().putAll(fields);
        }
    }

    Document membership(String userId) {
        return membershipDocs.computeIfAbsent(userId, id -> {
            Document loaded = memberships.find(Filters.eq("_id", id)).first();
            return loaded != null ? loaded : new Document("_id", id);
        });
    }

    void eraseSender(String accountId) {
        erasedSenders.add(accountId);
    }

    void membershipChanged(String userId) {
        dirtyMemberships.add(userId);
    }

    PendingReceipts pending(String conversationId) {
        return pending.computeIfAbsent(conversationId, id -> {
            Document loaded = receipts.find(Filters.eq("_id", id)).first();
            return PendingReceipts.of(id, loaded, this::chunks);
        });
    }

    void pendingChanged(String conversationId) {
        dirtyPending.add(conversationId);
    }

    int pendingCap() {
        return pendingCap;
    }

    boolean isEmpty() {
        return changes.isEmpty() && dirtyMemberships.isEmpty() && dirtyPending.isEmpty();
    }

    /**
     * Elasticsearch first, then the MongoDB state; the processor stores its token only after this returns. A
     * failure anywhere throws, the batch rolls back and is replayed: every write here is an overwrite keyed by
     * id, so a replay converges on the same index and state.
     */
    void flush() {
        if (!changes.isEmpty()) {
            List<BulkOperation> operations = new ArrayList<>(changes.size());
            String target = index.writeAlias();
            changes.forEach((id, change) -> operations.add(change.full()
                    ? BulkOperation.of(o -> o.index(i -> i.index(target).id(id).document(change.fields())))
                    : BulkOperation.of(o -> o.update(u -> u.index(target).id(id)
                            .action(a -> a.doc(change.fields()))))));
            index.bulk(operations);
            changes.clear();
        }
        // after the bulk: a message of the account indexed by this very batch is erased too
        erasedSenders.forEach(index::eraseSender);
        erasedSenders.clear();
        write(memberships, dirtyMemberships, membershipDocs);
        List<WriteModel<Document>> receiptWrites = new ArrayList<>();
        dirtyPending.forEach(id -> receiptWrites.addAll(pending.get(id).writes()));
        if (!receiptWrites.isEmpty()) {
            receipts.bulkWrite(receiptWrites);
        }
        dirtyPending.clear();
    }

    private static void write(MongoCollection<Document> collection, Set<String> dirty, Map<String, Document> docs) {
        if (dirty.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> writes = new ArrayList<>(dirty.size());
        dirty.forEach(id -> writes.add(new ReplaceOneModel<>(Filters.eq("_id", id), docs.get(id), UPSERT)));
        collection.bulkWrite(writes);
        dirty.clear();
    }

    private record DocumentChange(boolean full, Map<String, Object> fields) {
    }
}
