package io.parley.command.conversation;

import io.parley.api.media.MediaRef;

import java.util.Optional;

/**
 * What the aggregate needs from outside itself: the configured limits and the ports of other features.
 * Injected into command handlers as a resource, so the aggregate's own state stays serializable.
 */
class ConversationRules {
    private final ConversationProperties properties;
    private final MediaOwnership mediaOwnership;
    private final BlockList blockList;

    ConversationRules(ConversationProperties properties, MediaOwnership mediaOwnership, BlockList blockList) {
        this.properties = properties;
        this.mediaOwnership = mediaOwnership;
        this.blockList = blockList;
    }

    ConversationProperties properties() {
        return properties;
    }

    Optional<MediaRef> ownedMedia(MediaRef requested, String senderId) {
        return mediaOwnership == null ? Optional.empty() : mediaOwnership.resolveOwned(requested, senderId);
    }

    boolean blocks(String blockerId, String blockedId) {
        return blockList != null && blockList.blocks(blockerId, blockedId);
    }
}
