package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationQueries.MessagePreview;

import java.time.Instant;
import java.util.Map;

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
     * @param ownWithheld the user's own latest message withheld from the other side (README, Blocking): their inbox
     *                   shows it as the last message, as if delivered, so the block is not given away; null if none
     */
    public record Entry(long joinedSeq, long read, boolean muted, Instant mutedUntil, Long removedSeq,
                        Instant removedAt, MessagePreview preview, Instant previewAt, MessagePreview ownWithheld) {
        public boolean removed() {
            return removedSeq != null;
        }

        /** Muted at {@code now}. */
        public boolean mutedAt(Instant now) {
            return muted && (mutedUntil == null || mutedUntil.isAfter(now));
        }
    }
}
