package io.parley.projections.conversation;

import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
     * @param ord for a message, its ordinal among the conversation's messages (unread counts subtract
     *            ordinals); 0 for other kinds
     */
    public record Entry(TimelineEntry entry, long ord) {
        public long seq() {
            return entry.seq();
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
