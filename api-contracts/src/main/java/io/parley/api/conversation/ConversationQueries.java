package io.parley.api.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Queries over the conversation read models and their answers. Every query names the asking account
 * ({@code userId}, from the authenticated principal): answers are restricted to what that member may see,
 * and a conversation the account never belonged to is answered as absent (REST turns that into 404).
 */
public final class ConversationQueries {
    private ConversationQueries() {
    }

    /** The inbox, ordered by last activity, newest first. Answered with {@link Inbox}. */
    public record InboxQuery(String userId) {
    }

    public record Inbox(List<InboxEntry> conversations) {
    }

    /**
     * @param removed true when the user left or was removed: the entry shows the conversation as it stood then
     */
    public record InboxEntry(String id, ConversationType type, String title, MessagePreview lastMessage,
                             long unreadCount, Instant lastActivityAt, boolean muted, Instant mutedUntil,
                             long lastSeq, boolean removed) {
    }

    public record MessagePreview(long seq, String senderId, MessageType type, String text, Instant sentAt,
                                 boolean deleted) {
    }

    /** Answered with {@code Optional<ConversationDetails>}; empty for non-members. */
    public record ConversationQuery(String conversationId, String userId) {
    }

    /**
     * {@code description} and {@code avatar} (the group's picture: fetch it at {@code /api/media/{mediaId}}) null
     * when none is set; {@code announcement}: only admins send.
     */
    public record ConversationDetails(String id, ConversationType type, String title, List<MemberView> members,
                                      long lastSeq, Instant createdAt, boolean removed, String description,
                                      io.parley.api.media.MediaRef avatar, boolean announcement) {
    }

    public record MemberView(String userId, MemberRole role) {
    }

    /**
     * A page of history (messages and membership notices; edits, deletes and reactions are already folded
     * into the messages they change). {@code after} pages ascend; the default and {@code before} pages
     * descend from the newest. {@code limit} defaults to 50 and is capped at {@link #MAX_LIMIT}.
     * Answered with {@code Optional<MessagePage>}; empty for accounts that never were members.
     */
    public record MessagesQuery(String conversationId, String userId, Long after, Long before, Integer limit) {
        public static final int DEFAULT_LIMIT = 50;
        public static final int MAX_LIMIT = 200;
    }

    public record MessagePage(List<TimelineEntry> messages, boolean hasMore) {
    }

    /**
     * Everything after the client's per-conversation seqs, in one answer: every timeline entry (edits,
     * deletes, reactions and membership changes included), and conversations missing from {@code since}
     * from their start. At most {@code limit} entries (default 500, cap 1,000); when cut short,
     * {@link SyncResult#hasMore()} is set and the client asks again with the seqs it now holds.
     */
    public record SyncQuery(String userId, Map<String, Long> since, Integer limit) {
        public static final int DEFAULT_LIMIT = 500;
        public static final int MAX_LIMIT = 1_000;
    }

    public record SyncResult(List<SyncedConversation> conversations, boolean hasMore) {
    }

    /**
     * @param upToSeq the seq the client holds after applying {@code entries} (send it back as {@code since})
     */
    public record SyncedConversation(String id, ConversationType type, String title, List<MemberView> members,
                                     List<TimelineEntry> entries, long upToSeq, boolean hasMore,
                                     boolean removed) {
    }

    /**
     * The messages {@code userId} starred and may still see (not deleted, neither for everyone nor for them), as
     * they see them, the newest message first. Answered with {@link StarredMessages}.
     */
    public record StarredMessagesQuery(String userId) {
    }

    public record StarredMessages(List<TimelineEntry.Message> messages) {
    }

    /**
     * Read-your-writes: true once the conversation views hold everything up to {@code seq}.
     */
    public record ConversationViewReachedQuery(String conversationId, long seq) {
    }
}
