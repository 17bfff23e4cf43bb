package io.parley.projections.conversation;

import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A history bucket: up to {@value #SIZE} consecutive timeline entries of one conversation, in seq order,
 * {@code _id = <conversationId>:<seq / SIZE>} so a page is one or two {@code _id} reads computed from the
 * gap-free seqs (docs/design.md, section 4). Stored by {@link HistoryBucketCodec}.
 *
 * @param entries mutable while a projection batch holds the bucket, in seq order
 */
public record HistoryBucket(String id, String conversationId, long index, List<Entry> entries) {
    public static final int SIZE = 64;

    /**
     * @param ord        for a message, its ordinal among the conversation's messages (unread counts subtract
     *                   ordinals); 0 for other kinds, and for a message withheld from someone (it counts for no one)
     * @param asOf       for a message changed (edited, deleted, reacted to) after someone who had seen it departed:
     *                   per departure seq, the message as it stood then, so a former member's view stays frozen at
     *                   their departure (docs/design.md, section 4, "Late joiners and former members"); empty
     *                   otherwise; mutable while a projection batch holds the bucket
     * @param hiddenFrom the members who never see this entry: a message withheld from whoever blocked its sender
     *                   (README, Blocking); history, sync and receipts skip it for them, their seqs pass over it
     */
    public record Entry(TimelineEntry entry, long ord, Map<Long, Message> asOf, List<String> hiddenFrom) {
        public Entry {
            hiddenFrom = hiddenFrom == null ? List.of() : List.copyOf(hiddenFrom);
        }

        public Entry(TimelineEntry entry, long ord) {
            this(entry, ord, new TreeMap<>(), List.of());
        }

        public Entry(TimelineEntry entry, long ord, Map<Long, Message> asOf) {
            this(entry, ord, asOf, List.of());
        }

        public long seq() {
            return entry.seq();
        }

        /** The entry as someone who sees up to {@code upTo} (a departure seq, or the last seq) sees it. */
        public TimelineEntry seenUpTo(long upTo) {
            Message frozen = asOf.get(upTo);
            return frozen != null ? frozen : entry;
        }

        /** True when {@code userId} never sees this entry. */
        public boolean hiddenFrom(String userId) {
            return hiddenFrom.contains(userId);
        }
    }

    public static String id(String conversationId, long seq) {
        return idOfIndex(conversationId, seq / SIZE);
    }

    public static String idOfIndex(String conversationId, long index) {
        return conversationId + ":" + index;
    }

    public static HistoryBucket empty(String conversationId, long seq) {
        return new HistoryBucket(id(conversationId, seq), conversationId, seq / SIZE, new ArrayList<>());
    }

    /** The message at {@code seq}, if that seq is a message held here. */
    public Optional<Message> message(long seq) {
        return entries.stream().filter(e -> e.seq() == seq && e.entry() instanceof Message)
                .map(e -> (Message) e.entry()).findFirst();
    }
}
