package io.parley.command.conversation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Tunable rules of the Conversation aggregate ({@code chat.conversation.*}).
 *
 * @param maxGroupMembers          members a group may hold, creator included (docs/design.md, section 3: 100)
 * @param editWindow               how long after sending the author may still edit (WhatsApp allows 15 minutes)
 * @param deleteForEveryoneWindow  how long after sending the author may delete for everyone
 * @param snapshotThreshold        events between snapshots of one conversation
 * @param cachedConversations      conversation aggregates kept in memory between commands; 0 = none
 * @param checkCachedVersion       several nodes write to one event store: before each command a cached
 *                                 conversation applies what the store holds after its version
 *                                 ({@link CachedConversationCheck}); without it another node's appends would leave
 *                                 this node's copy stale
 * @param cachedBlockLists         accounts whose block lists are kept in memory for the direct-chat checks of every
 *                                 send (docs/design.md, section 11); 0 = none, each send asks PostgreSQL (several
 *                                 nodes: a block recorded on another node must be in force at once)
 */
@ConfigurationProperties("chat.conversation")
public record ConversationProperties(@DefaultValue("100") int maxGroupMembers,
                                     @DefaultValue("15m") Duration editWindow,
                                     @DefaultValue("48h") Duration deleteForEveryoneWindow,
                                     @DefaultValue("500") int snapshotThreshold,
                                     @DefaultValue("10000") long cachedConversations,
                                     @DefaultValue("false") boolean checkCachedVersion,
                                     @DefaultValue("100000") long cachedBlockLists) {

    /**
     * The aggregate keeps author and time of recent messages only; a window longer than this
     * retention could never be honoured, so it is refused at start-up rather than silently capped.
     */
    public static final Duration MAX_WINDOW = Duration.ofDays(7);

    public ConversationProperties {
        if (maxGroupMembers < 2) {
            throw new IllegalArgumentException("chat.conversation.max-group-members must be at least 2");
        }
        if (editWindow.isNegative() || editWindow.compareTo(MAX_WINDOW) > 0
                || deleteForEveryoneWindow.isNegative() || deleteForEveryoneWindow.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("chat.conversation edit/delete windows must lie within 0.." + MAX_WINDOW);
        }
        if (cachedConversations < 0 || cachedBlockLists < 0) {
            throw new IllegalArgumentException("chat.conversation.cached-conversations and cached-block-lists must not be negative");
        }
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("chat.conversation.snapshot-threshold must be positive");
        }
    }

    public static ConversationProperties defaults() {
        return new ConversationProperties(100, Duration.ofMinutes(15), Duration.ofHours(48), 500, 10_000, false, 100_000);
    }
}
