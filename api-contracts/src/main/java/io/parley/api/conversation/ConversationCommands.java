package io.parley.api.conversation;

import io.parley.api.media.MediaRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/**
 * Commands of the Conversation aggregate (direct chats and groups share one aggregate and one message path).
 * Every command names the acting account ({@code requesterId}, {@code senderId}, {@code memberId}); the
 * gateway fills it from the authenticated principal, never from the client's payload.
 */
public final class ConversationCommands {
    private ConversationCommands() {
    }

    /**
     * Answered with a {@link ConversationOpened}; opening an existing direct chat again is a no-op
     * ({@code created} false), so REST can answer 200 instead of 201.
     */
    public record StartDirectConversation(@TargetAggregateIdentifier String conversationId, String initiatorId,
                                          String peerId) {
    }

    /** {@code memberIds} are the others to add; the creator becomes the group's first admin. */
    public record CreateGroup(@TargetAggregateIdentifier String conversationId, String creatorId, String title,
                              List<String> memberIds) {
    }

    public record RenameGroup(@TargetAggregateIdentifier String conversationId, String requesterId, String title) {
    }

    public record AddMember(@TargetAggregateIdentifier String conversationId, String requesterId, String memberId) {
    }

    public record RemoveMember(@TargetAggregateIdentifier String conversationId, String requesterId,
                               String memberId) {
    }

    public record LeaveGroup(@TargetAggregateIdentifier String conversationId, String memberId) {
    }

    public record GrantAdmin(@TargetAggregateIdentifier String conversationId, String requesterId, String memberId) {
    }

    /** The last admin cannot be demoted (409 {@code last-admin}); demoting a plain member changes nothing. */
    public record RevokeAdmin(@TargetAggregateIdentifier String conversationId, String requesterId, String memberId) {
    }

    /** Admins only; null or blank clears the description. */
    public record ChangeGroupDescription(@TargetAggregateIdentifier String conversationId, String requesterId,
                                         String description) {
    }

    /** Admins only; {@code mediaId}: an IMAGE the requester uploaded. */
    public record ChangeGroupAvatar(@TargetAggregateIdentifier String conversationId, String requesterId,
                                    String mediaId) {
    }

    /** Admins only: with {@code enabled}, only admins send. */
    public record SetAnnouncementMode(@TargetAggregateIdentifier String conversationId, String requesterId,
                                      boolean enabled) {
    }

    /**
     * Admins only. The gateway makes the token and passes only its SHA-256 ({@code inviteHash}, hex): the token is
     * shown once, to the admin, and never stored.
     */
    public record CreateInvite(@TargetAggregateIdentifier String conversationId, String requesterId,
                               String inviteHash, Integer maxUses, Instant expiresAt) {
    }

    public record RevokeInvite(@TargetAggregateIdentifier String conversationId, String requesterId,
                               String inviteHash) {
    }

    /** Answered with a {@link Joined}: {@code joined} false when the account was a member already. */
    public record JoinByInvite(@TargetAggregateIdentifier String conversationId, String memberId,
                               String inviteHash) {
    }

    public record Joined(String conversationId, boolean joined, Long seq) {
    }

    /** Answered with a {@link SendResult}; the same clientMessageId again is answered with the first result. */
    /**
     * {@code mentions}: member ids, or {@link Mentions#ALL} in a group for every member but the sender; null or
     * empty mentions no one. The aggregate checks them against its members (README, API).
     */
    public record SendMessage(@TargetAggregateIdentifier String conversationId, String senderId,
                              String clientMessageId, String text, Long replyTo, MediaRef media,
                              List<String> mentions) {
        /** A send that mentions no one. */
        public SendMessage(String conversationId, String senderId, String clientMessageId, String text,
                           Long replyTo, MediaRef media) {
            this(conversationId, senderId, clientMessageId, text, replyTo, media, List.of());
        }
    }

    /**
     * A copy of a message into {@code conversationId}, answered with a {@link SendResult} (the same
     * clientMessageId again is answered with the first result). The gateway fills {@code text} and {@code media}
     * from the source message as the forwarder sees it, having checked that they may read it; the target aggregate
     * checks the forwarder's membership here, the text, and that the media is a recorded upload (the copy reuses
     * the file, never copies it, and takes its type from it).
     */
    public record ForwardMessage(@TargetAggregateIdentifier String conversationId, String forwarderId,
                                 String clientMessageId, ForwardedFrom forwardedFrom, String text, MediaRef media) {
    }

    /** Answered with a {@link MessageChanged}. */
    /**
     * {@code clientMessageId}: the STOMP frame's, so a retried frame is answered with the first result and changes
     * nothing more (as a send); null from REST, which has no retries to tell apart.
     */
    public record EditMessage(@TargetAggregateIdentifier String conversationId, String editorId, long seq,
                              String text, String clientMessageId) {
        public EditMessage(String conversationId, String editorId, long seq, String text) {
            this(conversationId, editorId, seq, text, null);
        }
    }

    /** Answered with a {@link MessageChanged}; deleting again changes nothing ({@code seq} null). */
    /** {@code clientMessageId} as for {@link EditMessage}. */
    public record DeleteMessage(@TargetAggregateIdentifier String conversationId, String requesterId, long seq,
                                String clientMessageId) {
        public DeleteMessage(String conversationId, String requesterId, long seq) {
            this(conversationId, requesterId, seq, null);
        }
    }

    /** {@code emoji} null or blank removes the member's reaction. Answered with a {@link MessageChanged}. */
    public record ReactToMessage(@TargetAggregateIdentifier String conversationId, String memberId, long seq,
                                 String emoji, String clientMessageId) {
        public ReactToMessage(String conversationId, String memberId, long seq, String emoji) {
            this(conversationId, memberId, seq, emoji, null);
        }
    }

    /**
     * The answer to an edit, deletion or reaction: {@code seq} is the timeline seq of the EDIT, DELETE or
     * REACTION entry it stored, null when it stored nothing (a message deleted already).
     */
    public record MessageChanged(String conversationId, long messageSeq, Long seq) {
    }

    /** Starring a message one starred already changes nothing. */
    public record StarMessage(@TargetAggregateIdentifier String conversationId, String memberId, long seq) {
    }

    /** Unstarring a message one did not star changes nothing. */
    public record UnstarMessage(@TargetAggregateIdentifier String conversationId, String memberId, long seq) {
    }

    /** Hides the message from {@code memberId}'s own history, sync and search; everyone else keeps it. */
    public record DeleteMessageForMe(@TargetAggregateIdentifier String conversationId, String memberId, long seq) {
    }

    public record AcknowledgeDelivery(@TargetAggregateIdentifier String conversationId, String memberId,
                                      long upToSeq) {
    }

    public record MarkRead(@TargetAggregateIdentifier String conversationId, String memberId, long upToSeq) {
    }

    public record MuteConversation(@TargetAggregateIdentifier String conversationId, String memberId,
                                   Instant until) {
    }

    public record UnmuteConversation(@TargetAggregateIdentifier String conversationId, String memberId) {
    }

    public record ConversationOpened(String conversationId, boolean created) {
    }

    /** The answer to {@link SendMessage}: the "sent" tick. */
    public record SendResult(String conversationId, String clientMessageId, long seq, String messageId,
                             Instant sentAt, List<String> mentions) {
        public SendResult {
            mentions = mentions == null ? List.of() : List.copyOf(mentions);
        }

        /** The answer to a send that mentions no one. */
        public SendResult(String conversationId, String clientMessageId, long seq, String messageId,
                          Instant sentAt) {
            this(conversationId, clientMessageId, seq, messageId, sentAt, List.of());
        }
    }

    /**
     * Moderation by a platform ADMIN, who need not be a member (README, Reports and moderation): deletes a group's
     * message for everyone, whoever wrote it and however old it is. Recorded as {@code MessageDeleted} naming the
     * moderator. A group's own admins moderate through {@link DeleteMessage}.
     */
    public record ModerateMessage(@TargetAggregateIdentifier String conversationId, String moderatorId, long seq) {
    }

    /** Moderation by a platform ADMIN: removes a member from a group, recorded as {@code MemberRemoved}. */
    public record ModerateMember(@TargetAggregateIdentifier String conversationId, String moderatorId,
                                 String memberId) {
    }
}
