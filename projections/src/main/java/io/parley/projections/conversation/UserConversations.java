package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationQueries.MessagePreview;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One user's conversations ({@code _id} = user id), stored by {@link UserConversationsCodec}: per
 * conversation id, their own side of it. Written with idempotent updates only (see the codec).
 */
public record UserConversations(String id, Map<String, Entry> conversations) {

    /**
     * @param read       the user's read watermark
     * @param mutedUntil null with {@code muted} set: muted until unmuted
     * @param removedSeq set when the user left or was removed: the seq of their departure; {@code preview} and
     *                   {@code previewAt} then hold the conversation's last message as it stood at that moment
     * @param starred    the seqs of the messages the user starred, in starring order
     * @param hidden     the seqs of the messages the user deleted for themselves (gone from their history, sync)
     * @param ownWithheld the user's own latest message withheld from the other side (README, Blocking): their inbox
     *                   shows it as the last message, as if delivered, so the block is not given away; null if none
     */
    public record Entry(long joinedSeq, long read, boolean muted, Instant mutedUntil, Long removedSeq,
                        Instant removedAt, MessagePreview preview, Instant previewAt, List<Long> starred,
                        Set<Long> hidden, MessagePreview ownWithheld) {
        public Entry {
            starred = starred == null ? List.of() : List.copyOf(starred);
            hidden = hidden == null ? Set.of() : Set.copyOf(hidden);
        }

        public boolean removed() {
            return removedSeq != null;
        }

        /** Muted at {@code now}. */
        public boolean mutedAt(Instant now) {
            return muted && (mutedUntil == null || mutedUntil.isAfter(now));
        }
    }
}
