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
     * @param ord  for a message, its ordinal among the conversation's messages (unread counts subtract
     *             ordinals); 0 for other kinds
     * @param asOf for a message changed (edited, deleted, reacted to) after someone who had seen it departed:
     *             per departure seq, the message as it stood then, so a former member's view stays frozen at
     *             their departure (docs/design.md, section 4, "Late joiners and former members"); empty
     *             otherwise; mutable while a projection batch holds the bucket
     */
    public record Entry(TimelineEntry entry, long ord, Map<Long, Message> asOf) {
        public Entry(TimelineEntry entry, long ord) {
            this(entry, ord, new TreeMap<>());
        }

        public long seq() {
            return entry.seq();
        }

        /** The entry as someone who sees up to {@code upTo} (a departure seq, or the last seq) sees it. */
        public TimelineEntry seenUpTo(long upTo) {
            Message frozen = asOf.get(upTo);
            return frozen != null ? frozen : entry;
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
