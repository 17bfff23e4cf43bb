package io.parley.projections.search;

import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Per conversation ({@code _id} = conversation id), the messages no other member has acknowledged yet, in seq
 * order: {@code undelivered} and {@code unread}, each entry {@code {s: seq, t: sentAt millis, u: sender}}.
 * <p>
 * A watermark "member M has received (read) everything up to N" passes every pending message with seq <= N that
 * M did not send; each gets {@code deliveredAt}/{@code readAt} = the watermark's time and the latency in ms, and
 * leaves the list. So the figures are "first other member": for a direct chat the peer, for a group the first
 * member to receive (read) it, which is the moment the sender's tick changes in most chat apps. Messages the
 * acknowledging member sent stay for someone else's watermark. Read implies delivered. There is no scripting on
 * the node, so this bookkeeping is what lets Java compute partial-document updates.
 */
final class PendingReceipts {

    static final String COLLECTION_PREFIX = "search_receipts_";
    private static final String UNDELIVERED = "undelivered";
    private static final String UNREAD = "unread";

    private final Document document;

    PendingReceipts(Document document) {
        this.document = document;
    }

    static String collection(String concreteIndex) {
        return COLLECTION_PREFIX + concreteIndex;
    }

    Document document() {
        return document;
    }

    /** Remembers a new message in both lists; a replayed message already there (or older) is skipped. */
    boolean add(long seq, Instant sentAt, String senderId, int cap) {
        boolean changed = append(list(UNDELIVERED), seq, sentAt, senderId, cap);
        return append(list(UNREAD), seq, sentAt, senderId, cap) || changed;
    }

    /** Resolves delivered entries the watermark passes; {@code resolved} gets (seq, latency ms). */
    boolean delivered(String memberId, long upToSeq, Instant at, BiConsumer<Long, Long> resolved) {
        return pass(list(UNDELIVERED), memberId, upToSeq, at, resolved);
    }

    boolean read(String memberId, long upToSeq, Instant at, BiConsumer<Long, Long> resolved) {
        return pass(list(UNREAD), memberId, upToSeq, at, resolved);
    }

    /** A deleted message no longer waits for anyone. */
    boolean forget(long seq) {
        boolean a = list(UNDELIVERED).removeIf(d -> seqOf(d) == seq);
        return list(UNREAD).removeIf(d -> seqOf(d) == seq) || a;
    }

    private static boolean append(List<Document> list, long seq, Instant sentAt, String senderId, int cap) {
        if (!list.isEmpty() && seqOf(list.get(list.size() - 1)) >= seq) {
            return false;
        }
        list.add(new Document("s", seq).append("t", sentAt.toEpochMilli()).append("u", senderId));
        while (list.size() > cap) {
            list.remove(0);
        }
        return true;
    }

    private static boolean pass(List<Document> list, String memberId, long upToSeq, Instant at,
                                BiConsumer<Long, Long> resolved) {
        boolean changed = false;
        for (Iterator<Document> it = list.iterator(); it.hasNext(); ) {
            Document entry = it.next();
            long seq = seqOf(entry);
            if (seq > upToSeq) {
                break;
            }
            if (!memberId.equals(entry.getString("u"))) {
                long sentAt = entry.get("t", Number.class).longValue();
                // clocks of one event store never run backwards between two events of one aggregate, but clamp
                // anyway: a negative latency would poison the percentiles
                resolved.accept(seq, Math.max(0, at.toEpochMilli() - sentAt));
                it.remove();
                changed = true;
            }
        }
        return changed;
    }

    private List<Document> list(String name) {
        List<Document> list = document.getList(name, Document.class);
        if (list == null) {
            list = new ArrayList<>();
            document.put(name, list);
        }
        return list;
    }

    private static long seqOf(Document entry) {
        return entry.get("s", Number.class).longValue();
    }
}
