package io.parley.command.conversation;

/**
 * Implemented by the account feature, which owns blocked lists: the Conversation aggregate cannot read
 * another aggregate, so it asks this port. Without an implementation in the context nobody is blocked.
 */
public interface BlockList {

    /** @return true when {@code blockerId} has blocked {@code blockedId}. */
    boolean blocks(String blockerId, String blockedId);
}
