package io.parley.api.conversation;

import io.parley.api.media.MediaRef;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * Events of the Conversation aggregate.
 * <p>
 * Everything a member's client must see in the timeline carries a {@code seq}: one gap-free counter per
 * conversation over messages, edits, deletes, reactions and membership changes (as Matrix orders its
 * timeline). A client that holds everything up to seq N is in sync after fetching the entries after N,
 * edits and deletes of older messages included. Receipt watermarks and mute state carry no seq: they are
 * state, not timeline.
 */
public final class ConversationEvents {
    private ConversationEvents() {
    }

    /** Creation carries no seq: the timeline starts at seq 1 with the first message or membership change. */
    @Revision("1")
    public record DirectConversationStarted(String conversationId, List<String> memberIds, String startedBy,
                                            Instant startedAt) {
    }

    /** {@code memberIds} lists every initial member, the creator (the first admin) first. */
    @Revision("1")
    public record GroupCreated(String conversationId, String title, String creatorId, List<String> memberIds,
                               Instant createdAt) {
    }

    @Revision("1")
    public record GroupRenamed(String conversationId, long seq, String title, String renamedBy, Instant renamedAt) {
    }

    @Revision("1")
    public record MemberAdded(String conversationId, long seq, String memberId, String addedBy, Instant addedAt) {
    }

    @Revision("1")
    public record MemberRemoved(String conversationId, long seq, String memberId, String removedBy,
                                Instant removedAt) {
    }

    @Revision("1")
    public record MemberLeft(String conversationId, long seq, String memberId, Instant leftAt) {
    }

    /** Also applied when the last admin leaves and the oldest member is promoted ({@code grantedBy} null). */
    @Revision("1")
    public record AdminGranted(String conversationId, long seq, String memberId, String grantedBy,
                               Instant grantedAt) {
    }

    /**
     * Revision 2 added {@code mentions}: the member ids the message mentions, without duplicates, a group's
     * {@code @all} already expanded to every member but the sender (README, API). Events stored at revision 1
     * are read through {@link MessageSentUpcaster}, which gives them no mentions.
     * <p>
     * Revision 3 added {@code withheldFrom}: the members who never see the message because they blocked its
     * sender (a direct chat: the sender is acknowledged as usual and not told; README, Blocking). Every view
     * leaves it out for them, for good, also after an unblock. Events stored at revision 2 are read through
     * {@link MessageSentWithheldUpcaster}, which withholds them from no one.
     */
    @Revision("3")
    public record MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                              String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                              Instant sentAt, List<String> mentions, List<String> withheldFrom) {
        public MessageSent {
            mentions = mentions == null ? List.of() : List.copyOf(mentions);
            withheldFrom = withheldFrom == null ? List.of() : List.copyOf(withheldFrom);
        }

        /** A message every member sees. */
        public MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                           String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                           Instant sentAt, List<String> mentions) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    mentions, List.of());
        }

        /** A message that mentions no one. */
        public MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                           String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                           Instant sentAt) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    List.of(), List.of());
        }

        public boolean mentions(String memberId) {
            return mentions.contains(memberId);
        }

        /** True when {@code memberId} blocked the sender and so never sees this message. */
        public boolean withheldFrom(String memberId) {
            return withheldFrom.contains(memberId);
        }
    }

    @Revision("1")
    public record MessageEdited(String conversationId, long seq, long messageSeq, String editorId, String text,
                                Instant editedAt) {
    }

    @Revision("1")
    public record MessageDeleted(String conversationId, long seq, long messageSeq, String deletedBy,
                                 Instant deletedAt) {
    }

    /** {@code emoji} null means the member's reaction was removed. */
    @Revision("1")
    public record ReactionChanged(String conversationId, long seq, long messageSeq, String memberId, String emoji,
                                  Instant changedAt) {
    }

    /**
     * Receipt watermark: {@code memberId} has received everything in the conversation up to {@code upToSeq}.
     * {@code upToSeq} is always the seq of a message (the aggregate lowers an ack to the last message at or
     * before it), so read models can count messages up to a watermark.
     */
    @Revision("1")
    public record MessagesDelivered(String conversationId, String memberId, long upToSeq, Instant at) {
    }

    /** Receipt watermark: {@code memberId} has read everything up to {@code upToSeq} (and so received it). */
    @Revision("1")
    public record MessagesRead(String conversationId, String memberId, long upToSeq, Instant at) {
    }

    @Revision("1")
    public record ConversationMuted(String conversationId, String memberId, Instant until, Instant mutedAt) {
    }

    @Revision("1")
    public record ConversationUnmuted(String conversationId, String memberId, Instant unmutedAt) {
    }
}
