package io.parley.projections.audit;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The audit chain in MongoDB (docs/design.md, section 4: read by {@code _id} only). {@value #LINKS}: one document
 * per event, {@code _id} = its global position, {@code n} its place in the chain (1, 2, ...), {@code prev} the
 * position of the link before it (-1 for the first) and {@code hash}. {@value #HEAD}: one document,
 * {@code _id: "head"}, the last link plus the part of the stream the chain has covered (the processor's token:
 * every position up to {@code tokenIndex} except the {@code gaps} it still waits for).
 * <p>
 * The chain follows the order the {@code audit-chain} processor received the events, which is the global order
 * except where a transaction committed after a later position's (a gap filled late): {@code prev} records it.
 */
public final class ChainLinks {

    public static final String LINKS = "audit_chain";
    public static final String HEAD = "audit_chain_head";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    public record Link(long position, long n, long prev, String hash) {
    }

    /** The last link, and the stream covered so far. */
    public record Head(long position, long n, String hash, long tokenIndex, Set<Long> gaps) {

        public static Head genesis() {
            return new Head(-1, 0, ChainHash.hex(ChainHash.GENESIS), -1, Set.of());
        }

        /** True while the chain may still receive this position: beyond the token, or one of its gaps. */
        public boolean awaits(long position) {
            return position > tokenIndex || gaps.contains(position);
        }
    }

    private final MongoCollection<Document> links;
    private final MongoCollection<Document> head;

    public ChainLinks(MongoDatabase database) {
        this.links = database.getCollection(LINKS);
        this.head = database.getCollection(HEAD);
    }

    /** The head; {@link Head#genesis()} while the chain is empty. */
    public Head head() {
        Document d = head.find(Filters.eq("_id", "head")).first();
        if (d == null) {
            return Head.genesis();
        }
        List<Long> gaps = d.getList("gaps", Long.class, List.of());
        return new Head(d.getLong("position"), d.getLong("n"), d.getString("hash"), d.getLong("tokenIndex"),
                new TreeSet<>(gaps));
    }

    public Map<Long, Link> byPosition(Collection<Long> positions) {
        Map<Long, Link> found = new HashMap<>();
        if (positions.isEmpty()) {
            return found;
        }
        for (Document d : links.find(Filters.in("_id", positions))) {
            found.put(d.getLong("_id"), new Link(d.getLong("_id"), d.getLong("n"), d.getLong("prev"), d.getString("hash")));
        }
        return found;
    }

    /** Writes the new links, then the head: a head never names a link that is not stored. */
    public void append(List<Link> added, Head newHead) {
        if (!added.isEmpty()) {
            List<WriteModel<Document>> writes = new ArrayList<>(added.size());
            for (Link l : added) {
                writes.add(new ReplaceOneModel<>(Filters.eq("_id", l.position()), new Document("_id", l.position())
                        .append("n", l.n()).append("prev", l.prev()).append("hash", l.hash()), UPSERT));
            }
            links.bulkWrite(writes);
        }
        head.replaceOne(Filters.eq("_id", "head"), new Document("_id", "head").append("position", newHead.position())
                .append("n", newHead.n()).append("hash", newHead.hash()).append("tokenIndex", newHead.tokenIndex())
                .append("gaps", new ArrayList<>(newHead.gaps())), UPSERT);
    }

    public void clear() {
        links.deleteMany(new Document());
        head.deleteMany(new Document());
    }
}
