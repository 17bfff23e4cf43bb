package io.parley.command.conversation;

import io.parley.api.media.MediaRef;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the aggregate needs from outside itself: the configured limits and the ports of other features.
 * Injected into command handlers as a resource, so the aggregate's own state stays serializable.
 */
class ConversationRules {
    private final ConversationProperties properties;
    private final MediaOwnership mediaOwnership;
    private final BlockList blockList;
    private final KnownAccounts knownAccounts;

    ConversationRules(ConversationProperties properties, MediaOwnership mediaOwnership, BlockList blockList,
                      KnownAccounts knownAccounts) {
        this.properties = properties;
        this.mediaOwnership = mediaOwnership;
        this.blockList = blockList;
        this.knownAccounts = knownAccounts;
    }

    ConversationProperties properties() {
        return properties;
    }

    Optional<MediaRef> ownedMedia(MediaRef requested, String senderId) {
        return mediaOwnership == null ? Optional.empty() : mediaOwnership.resolveOwned(requested, senderId);
    }

    Optional<MediaRef> recordedMedia(String mediaId) {
        return mediaOwnership == null ? Optional.empty() : mediaOwnership.resolveRecorded(mediaId);
    }

    boolean blocks(String blockerId, String blockedId) {
        return blockList != null && blockList.blocks(blockerId, blockedId);
    }

    /**
     * Refuses with {@code account-not-found} (404) when any of the accounts is not registered: a conversation
     * never names a ghost member (issue 15). One question for the whole set, so a group of 100 costs one query.
     */
    void requireKnown(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return;
        }
        Set<String> unknown = knownAccounts == null ? new LinkedHashSet<>(accountIds) : knownAccounts.unknown(accountIds);
        if (!unknown.isEmpty()) {
            throw Rejection.ACCOUNT_NOT_FOUND.because(unknown.size() == 1 ? "no account has this id"
                    : unknown.size() + " of these ids name no account");
        }
    }
}
