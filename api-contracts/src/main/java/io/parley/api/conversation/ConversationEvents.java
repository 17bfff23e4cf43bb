package io.parley.api.conversation;

import io.parley.api.media.MediaRef;
import io.parley.api.privacy.DataSubject;
import io.parley.api.privacy.PersonalData;
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
 * state, not timeline. Message texts, edit texts and file names are personal data of their author
 * ({@code @PersonalData}): the event store holds them encrypted with the author's data key (README, Account deletion).
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

    /** An admin made an admin a plain member again; never the last admin. */
    @Revision("1")
    public record AdminRevoked(String conversationId, long seq, String memberId, String revokedBy,
                               Instant revokedAt) {
    }

    /** {@code description} null: cleared. */
    @Revision("1")
    public record GroupDescriptionChanged(String conversationId, long seq, String description, String changedBy,
                                          Instant changedAt) {
    }

    /** {@code avatar}: an image the admin uploaded, as recorded at upload. */
    @Revision("1")
    public record GroupAvatarChanged(String conversationId, long seq, MediaRef avatar, @DataSubject String changedBy,
                                     Instant changedAt) {
    }

    /** In an announcement group only admins send. */
    @Revision("1")
    public record AnnouncementModeChanged(String conversationId, long seq, boolean enabled, String changedBy,
                                          Instant changedAt) {
    }

    /**
     * An invite link: only the SHA-256 of its token ({@code inviteHash}, hex) is ever stored. {@code maxUses} null:
     * unlimited; {@code expiresAt} null: never. Admin state, no seq.
     */
    @Revision("1")
    public record InviteCreated(String conversationId, String inviteHash, String createdBy, Integer maxUses,
                                Instant expiresAt, Instant createdAt) {
    }

    @Revision("1")
    public record InviteRevoked(String conversationId, String inviteHash, String revokedBy, Instant revokedAt) {
    }

    /** Applied right after the {@link MemberAdded} (added by the joiner themself) it let in: one use. */
    @Revision("1")
    public record InviteUsed(String conversationId, String inviteHash, String memberId, Instant usedAt) {
    }

    /**
     * Revision 2 added {@code mentions}: the member ids the message mentions, without duplicates, a group's
     * {@code @all} already expanded to every member but the sender (README, API). Revision 3 added
     * {@code forwardedFrom}: set on a forwarded copy, naming its source message; null for a message written here.
     * Revision 4 added {@code withheldFrom}: the members who never see the message because they blocked its
     * sender (a direct chat: the sender is acknowledged as usual and not told; README, Blocking). Every view
     * leaves it out for them, for good, also after an unblock. Events stored at revisions 1 and 2 are read through
     * {@link MessageSentUpcaster} (no mentions at revision 1, no source), then revision 3 through
     * {@link MessageSentWithheldUpcaster}, which withholds them from no one.
     */
    @Revision("4")
    public record MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                              @DataSubject String senderId, MessageType type, @PersonalData String text,
                              MediaRef media, Long replyTo, Instant sentAt, List<String> mentions,
                              ForwardedFrom forwardedFrom, List<String> withheldFrom) {
        public MessageSent {
            mentions = mentions == null ? List.of() : List.copyOf(mentions);
            withheldFrom = withheldFrom == null ? List.of() : List.copyOf(withheldFrom);
        }

        /** A copy forwarded from {@code forwardedFrom} (null: written here), which every member sees. */
        public MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                           String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                           Instant sentAt, List<String> mentions, ForwardedFrom forwardedFrom) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    mentions, forwardedFrom, List.of());
        }

        /** A message written here, withheld from {@code withheldFrom}. */
        public MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                           String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                           Instant sentAt, List<String> mentions, List<String> withheldFrom) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    mentions, null, withheldFrom);
        }

        /** A message written here that every member sees. */
        public MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                           String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                           Instant sentAt, List<String> mentions) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    mentions, null, List.of());
        }

        /** A message that mentions no one. */
        public MessageSent(String conversationId, long seq, String messageId, String clientMessageId,
                           String senderId, MessageType type, String text, MediaRef media, Long replyTo,
                           Instant sentAt) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    List.of(), null, List.of());
        }

        public boolean mentions(String memberId) {
            return mentions.contains(memberId);
        }

        /** True when {@code memberId} blocked the sender and so never sees this message. */
        public boolean withheldFrom(String memberId) {
            return withheldFrom.contains(memberId);
        }
    }

    /**
     * {@code clientMessageId}: that of the STOMP frame which asked for the edit (revision 2), null from REST and in
     * events stored before (upcast by {@link ChangeClientMessageIdUpcaster}); the aggregate remembers it to answer
     * a retried frame with the first result.
     */
    @Revision("2")
    public record MessageEdited(String conversationId, long seq, long messageSeq, @DataSubject String editorId,
                                @PersonalData String text, Instant editedAt, String clientMessageId) {
        public MessageEdited(String conversationId, long seq, long messageSeq, String editorId, String text,
                             Instant editedAt) {
            this(conversationId, seq, messageSeq, editorId, text, editedAt, null);
        }
    }

    /** {@code clientMessageId} as for {@link MessageEdited} (revision 2). */
    @Revision("2")
    public record MessageDeleted(String conversationId, long seq, long messageSeq, String deletedBy,
                                 Instant deletedAt, String clientMessageId) {
        public MessageDeleted(String conversationId, long seq, long messageSeq, String deletedBy, Instant deletedAt) {
            this(conversationId, seq, messageSeq, deletedBy, deletedAt, null);
        }
    }

    /** {@code emoji} null means the member's reaction was removed; {@code clientMessageId} as for {@link MessageEdited}. */
    @Revision("2")
    public record ReactionChanged(String conversationId, long seq, long messageSeq, String memberId, String emoji,
                                  Instant changedAt, String clientMessageId) {
        public ReactionChanged(String conversationId, long seq, long messageSeq, String memberId, String emoji,
                               Instant changedAt) {
            this(conversationId, seq, messageSeq, memberId, emoji, changedAt, null);
        }
    }

    /** Personal state, no seq (nobody else's timeline changes): {@code memberId} starred the message. */
    @Revision("1")
    public record MessageStarred(String conversationId, String memberId, long messageSeq, Instant starredAt) {
    }

    @Revision("1")
    public record MessageUnstarred(String conversationId, String memberId, long messageSeq, Instant unstarredAt) {
    }

    /**
     * Deleted for {@code memberId} only: the message leaves their history, sync and search (its edits and
     * reactions with it); the others keep it. Personal state, no seq.
     */
    @Revision("1")
    public record MessageDeletedForMe(String conversationId, String memberId, long messageSeq, Instant deletedAt) {
    }

    /**
     * Receipt watermark: {@code memberId} has received everything in the conversation up to {@code upToSeq}.
     * {@code upToSeq} is always the seq of a message (the aggregate lowers an ack to the last message at or
     * before it), so read models can count messages up to a watermark.
     * <p>
     * {@code withheld} (revision 2): the messages above the member's previous watermark and up to {@code upToSeq}
     * that were withheld from them (they had blocked the sender: README, Blocking). A watermark set after an unblock
     * covers them by seq, yet the member never received them, so their senders' ticks must not move: live receipts
     * tell the other members which seqs the watermark leaves out. Empty for events stored before (upcast by
     * {@link WatermarkWithheldUpcaster}), when nothing was withheld before a watermark passed it.
     */
    @Revision("2")
    public record MessagesDelivered(String conversationId, String memberId, long upToSeq, Instant at,
                                    List<Long> withheld) {
        public MessagesDelivered {
            withheld = withheld == null ? List.of() : List.copyOf(withheld);
        }

        public MessagesDelivered(String conversationId, String memberId, long upToSeq, Instant at) {
            this(conversationId, memberId, upToSeq, at, List.of());
        }
    }

    /**
     * Receipt watermark: {@code memberId} has read everything up to {@code upToSeq} (and so received it), but the
     * {@code withheld} messages, as for {@link MessagesDelivered}.
     */
    @Revision("2")
    public record MessagesRead(String conversationId, String memberId, long upToSeq, Instant at,
                               List<Long> withheld) {
        public MessagesRead {
            withheld = withheld == null ? List.of() : List.copyOf(withheld);
        }

        public MessagesRead(String conversationId, String memberId, long upToSeq, Instant at) {
            this(conversationId, memberId, upToSeq, at, List.of());
        }
    }

    @Revision("1")
    public record ConversationMuted(String conversationId, String memberId, Instant until, Instant mutedAt) {
    }

    @Revision("1")
    public record ConversationUnmuted(String conversationId, String memberId, Instant unmutedAt) {
    }
}
