package io.parley.gateway.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.command.conversation.BlockList;
import io.parley.gateway.stomp.StompSender;
import io.parley.projections.account.AccountViews;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Conversation aggregate's {@link BlockList} port: every direct message asks it, so it answers from memory.
 * A blocker's list is loaded once from the {@code accounts} read model ({@code _id} read) and then kept
 * current by the block events themselves, handled in the in-memory live-delivery processor (a list that is
 * not in memory is simply loaded later, from a view that by then includes the change).
 */
@Component
@ProcessingGroup(StompSender.LIVE_DELIVERY_GROUP)
class CachedBlockList implements BlockList {
    private final Cache<String, Set<String>> blocked = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final AccountViews accounts;

    CachedBlockList(AccountViews accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean blocks(String blockerId, String blockedId) {
        return blockerId != null && blockedId != null && blocked.get(blockerId, this::load).contains(blockedId);
    }

    private Set<String> load(String accountId) {
        Set<String> set = ConcurrentHashMap.newKeySet();
        accounts.account(accountId).ifPresent(account -> set.addAll(account.blocked()));
        return set;
    }

    @EventHandler
    void on(UserBlocked event) {
        Set<String> set = blocked.getIfPresent(event.accountId());
        if (set != null) {
            set.add(event.blockedId());
        }
    }

    @EventHandler
    void on(UserUnblocked event) {
        Set<String> set = blocked.getIfPresent(event.accountId());
        if (set != null) {
            set.remove(event.blockedId());
        }
    }
}
