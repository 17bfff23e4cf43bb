package io.parley.projections.search;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Per conversation, the messages no other member has acknowledged yet, in seq order: {@code undelivered} and
 * {@code unread}, each entry {@code {s: seq, t: sentAt millis, u: sender}}.
 * <p>
 * A watermark "member M has received (read) everything up to N" passes every pending message with seq <= N that
 * M did not send; each gets {@code deliveredAt}/{@code readAt} = the watermark's time and the latency in ms, and
 * leaves the list. So the figures are "first other member": for a direct chat the peer, for a group the first
 * member to receive (read) it, which is the moment the sender's tick changes in most chat apps. Messages the
 * acknowledging member sent stay for someone else's watermark. Read implies delivered.
 * <p>
 * Stored in chunks of {@value #CHUNK} consecutive seqs ({@code _id = <conversation>#<seq / 64>}, both lists)
 * under a small head ({@code _id = <conversation>}): {@code d} and {@code r}, the lowest chunks that may still
 * hold undelivered (unread) entries, {@code top}, the highest chunk, and {@code last}, the highest seq
 * recorded, which makes a replayed send a no-op. A message rewrites one small chunk and the head rather than one
 * document holding every unacknowledged message of the conversation (docs/design.md, section 11: that document
 * grew with every message nobody read, and the in-memory store copies a document whole on each update).
 */
final class PendingReceipts {

    static final String COLLECTION_PREFIX = "search_receipts_";
    static final int CHUNK = 64;
    private static final String UNDELIVERED = "undelivered";
    private static final String UNREAD = "unread";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final String conversationId;
    private final Document head;
    /** Reads chunk documents by id (absent ids are simply missing from the answer). */
    private final Function<Collection<String>, Map<String, Document>> chunkLoader;
    private final Map<Long, Document> chunks = new HashMap<>();
    private final TreeSet<Long> dirty = new TreeSet<>();
    private boolean headDirty;

    private PendingReceipts(String conversationId, Document head,
                            Function<Collection<String>, Map<String, Document>> chunkLoader) {
        this.conversationId = conversationId;
        this.head = head;
        this.chunkLoader = chunkLoader;
    }

    /**
     * The pending receipts of one conversation from its stored head ({@code null}: none yet). A head in the
     * former single-document shape (both lists inline) is split into chunks, written at the next flush.
     */
    static PendingReceipts of(String conversationId, Document storedHead,
                              Function<Collection<String>, Map<String, Document>> chunkLoader) {
        if (storedHead == null) {
            // low marks above every chunk: nothing is pending until the first message lowers them
            Document head = new Document("_id", conversationId).append("d", Long.MAX_VALUE)
                    .append("r", Long.MAX_VALUE).append("top", -1L).append("last", 0L);
            return new PendingReceipts(conversationId, head, chunkLoader);
        }
        if (storedHead.containsKey(UNDELIVERED) || storedHead.containsKey(UNREAD)) {
            return migrated(conversationId, storedHead, chunkLoader);
        }
        return new PendingReceipts(conversationId, storedHead, chunkLoader);
    }

    static String collection(String concreteIndex) {
        return COLLECTION_PREFIX + concreteIndex;
    }

    static String chunkId(String conversationId, long chunk) {
        return conversationId + "#" + chunk;
    }

    static boolean isChunkId(String id) {
        return id.indexOf('#') >= 0;
    }

    /** Remembers a new message in both lists; a replayed message (seq not above the last recorded) is skipped. */
    boolean add(long seq, Instant sentAt, String senderId, int cap) {
        if (seq <= num("last")) {
            return false;
        }
        long k = seq / CHUNK;
        Document chunk = chunk(k);
        Document entry = new Document("s", seq).append("t", sentAt.toEpochMilli()).append("u", senderId);
        list(chunk, UNDELIVERED).add(entry);
        list(chunk, UNREAD).add(new Document(entry));
        dirty.add(k);
        head.put("last", seq);
        head.put("top", Math.max(num("top"), k));
        head.put("d", Math.min(num("d"), k));
        head.put("r", Math.min(num("r"), k));
        headDirty = true;
        enforceCap(cap);
        return true;
    }

    /** Resolves delivered entries the watermark passes; {@code resolved} gets (seq, latency ms). */
    boolean delivered(String memberId, long upToSeq, Instant at, BiConsumer<Long, Long> resolved) {
        return pass(UNDELIVERED, "d", memberId, upToSeq, at, resolved);
    }

    boolean read(String memberId, long upToSeq, Instant at, BiConsumer<Long, Long> resolved) {
        return pass(UNREAD, "r", memberId, upToSeq, at, resolved);
    }

    /** A deleted message no longer waits for anyone. */
    boolean forget(long seq) {
        long k = seq / CHUNK;
        if (k > num("top") || (k < num("d") && k < num("r"))) {
            return false;
        }
        Document chunk = chunk(k);
        boolean a = list(chunk, UNDELIVERED).removeIf(d -> seqOf(d) == seq);
        boolean changed = list(chunk, UNREAD).removeIf(d -> seqOf(d) == seq) || a;
        if (changed) {
            dirty.add(k);
        }
        return changed;
    }

    /** The writes that store what changed: changed chunks (emptied ones deleted) and the head. */
    List<WriteModel<Document>> writes() {
        List<WriteModel<Document>> writes = new ArrayList<>(dirty.size() + 1);
        for (long k : dirty) {
            Document chunk = chunks.get(k);
            String id = chunkId(conversationId, k);
            if (list(chunk, UNDELIVERED).isEmpty() && list(chunk, UNREAD).isEmpty()) {
                writes.add(new DeleteOneModel<>(Filters.eq("_id", id)));
            } else {
                writes.add(new ReplaceOneModel<>(Filters.eq("_id", id), chunk, UPSERT));
            }
        }
        if (headDirty) {
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", conversationId), head, UPSERT));
        }
        dirty.clear();
        headDirty = false;
        return writes;
    }

    private boolean pass(String listName, String lowField, String memberId, long upToSeq, Instant at,
                         BiConsumer<Long, Long> resolved) {
        long low = num(lowField);
        long high = Math.min(upToSeq / CHUNK, num("top"));
        if (low > high) {
            return false;
        }
        load(low, high);
        boolean changed = false;
        for (long k = low; k <= high; k++) {
            List<Document> list = list(chunks.get(k), listName);
            for (Iterator<Document> it = list.iterator(); it.hasNext(); ) {
                Document entry = it.next();
                long seq = seqOf(entry);
                if (seq > upToSeq) {
                    break;
                }
                if (!memberId.equals(entry.getString("u"))) {
                    long sentAt = entry.get("t", Number.class).longValue();
                    // clocks of one event store never run backwards between two events of one aggregate, but
                    // clamp anyway: a negative latency would poison the percentiles
                    resolved.accept(seq, Math.max(0, at.toEpochMilli() - sentAt));
                    it.remove();
                    dirty.add(k);
                    changed = true;
                }
            }
        }
        // the low mark moves past chunks this list no longer needs, so the next watermark starts there
        long newLow = low;
        while (newLow <= high && list(chunks.get(newLow), listName).isEmpty()) {
            newLow++;
        }
        if (newLow != low) {
            head.put(lowField, newLow);
            headDirty = true;
        }
        return changed;
    }

    /**
     * Beyond the cap the oldest chunks lose their entries: a conversation nobody opens stays bounded. Whole
     * chunks go, one more than the cap needs is kept, so at least {@code cap} recent messages stay.
     */
    private void enforceCap(int cap) {
        long maxChunks = Math.max(1, (cap + CHUNK - 1) / CHUNK) + 1;
        long top = num("top");
        for (String field : List.of("d", "r")) {
            String listName = field.equals("d") ? UNDELIVERED : UNREAD;
            long low = num(field);
            if (top - low < maxChunks) {
                continue;
            }
            load(low, top - maxChunks);
            while (top - low >= maxChunks) {
                list(chunks.get(low), listName).clear();
                dirty.add(low);
                low++;
            }
            head.put(field, low);
        }
    }

    private Document chunk(long k) {
        load(k, k);
        return chunks.get(k);
    }

    /** Makes chunks [from, to] available, reading the missing ones in one query. */
    private void load(long from, long to) {
        List<String> missing = new ArrayList<>();
        for (long k = from; k <= to; k++) {
            if (!chunks.containsKey(k)) {
                missing.add(chunkId(conversationId, k));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<String, Document> loaded = chunkLoader.apply(missing);
        for (long k = from; k <= to; k++) {
            if (!chunks.containsKey(k)) {
                String id = chunkId(conversationId, k);
                Document doc = loaded.get(id);
                chunks.put(k, doc != null ? doc : new Document("_id", id));
            }
        }
    }

    private static PendingReceipts migrated(String conversationId, Document old,
                                            Function<Collection<String>, Map<String, Document>> chunkLoader) {
        Document head = new Document("_id", conversationId);
        // chunks did not exist in the former shape: every chunk starts empty, no read needed
        PendingReceipts migrated = new PendingReceipts(conversationId, head, ids -> Map.of());
        long last = 0;
        long top = -1;
        long[] lows = new long[2];
        String[] names = {UNDELIVERED, UNREAD};
        for (int i = 0; i < 2; i++) {
            List<Document> entries = old.getList(names[i], Document.class, List.of());
            long low = Long.MAX_VALUE;
            for (Document entry : entries) {
                long seq = seqOf(entry);
                long k = seq / CHUNK;
                migrated.load(k, k);
                list(migrated.chunks.get(k), names[i]).add(entry);
                migrated.dirty.add(k);
                low = Math.min(low, k);
                top = Math.max(top, k);
                last = Math.max(last, seq);
            }
            lows[i] = low;
        }
        head.append("d", lows[0] == Long.MAX_VALUE ? top + 1 : lows[0])
                .append("r", lows[1] == Long.MAX_VALUE ? top + 1 : lows[1])
                .append("top", top).append("last", last);
        migrated.headDirty = true;
        return new PendingReceipts(conversationId, head, chunkLoader).adopt(migrated);
    }

    private PendingReceipts adopt(PendingReceipts migrated) {
        chunks.putAll(migrated.chunks);
        dirty.addAll(migrated.dirty);
        headDirty = true;
        return this;
    }

    private long num(String field) {
        Number n = head.get(field, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private static List<Document> list(Document chunk, String name) {
        List<Document> list = chunk.getList(name, Document.class);
        if (list == null) {
            list = new ArrayList<>();
            chunk.put(name, list);
        }
        return list;
    }

    private static long seqOf(Document entry) {
        return entry.get("s", Number.class).longValue();
    }
}
