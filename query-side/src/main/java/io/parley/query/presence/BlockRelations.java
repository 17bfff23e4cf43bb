package io.parley.query.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.projections.account.AccountDocument;
import io.parley.projections.account.AccountViews;
import io.parley.projections.live.LiveDeliveryConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who blocked whom, for what flows between two people outside the timeline: presence, last seen and typing stop
 * both ways while either has blocked the other (README, Blocking). Each account's blocked set comes from the
 * {@code accounts} read model (one {@code _id} read on a miss), cached with Caffeine like {@link PrivacySettings}.
 * The block events are handled in the in-memory live-delivery processor, which may run ahead of the accounts
 * projection: an event applies itself to the cached set, or to the set just read (adding or removing one id
 * is the same whether or not the view has applied that event yet), so a block is in force here at once.
 */
@Component
@ProcessingGroup(LiveDeliveryConfiguration.PROCESSING_GROUP)
public class BlockRelations {
    private final Cache<String, Set<String>> cache;
    private final AccountViews accounts;

    public BlockRelations(AccountViews accounts, PresenceProperties properties) {
        this.accounts = accounts;
        this.cache = Caffeine.newBuilder().maximumSize(properties.privacyCacheSize())
                .expireAfterWrite(properties.privacyCacheTtl()).build();
    }

    /** True when {@code blockerId} blocked {@code blockedId}. */
    public boolean blocks(String blockerId, String blockedId) {
        return blockerId != null && blockedId != null && blocked(blockerId).contains(blockedId);
    }

    /** True when {@code a} blocked {@code b} or {@code b} blocked {@code a}. */
    public boolean eitherBlocks(String a, String b) {
        return blocked(a).contains(b) || blocked(b).contains(a);
    }

    private Set<String> blocked(String accountId) {
        return cache.get(accountId, this::load);
    }

    private Set<String> load(String accountId) {
        Set<String> ids = new HashSet<>();
        accounts.account(accountId).map(AccountDocument::blocked)
                .ifPresent(blocks -> blocks.forEach(b -> ids.add(b.userId())));
        return Set.copyOf(ids);
    }

    private void change(String accountId, Consumer<Set<String>> change) {
        cache.asMap().compute(accountId, (id, current) -> {
            Set<String> next = new HashSet<>(current != null ? current : load(id));
            change.accept(next);
            return Set.copyOf(next);
        });
    }

    @EventHandler
    void on(UserBlocked event) {
        change(event.accountId(), ids -> ids.add(event.blockedId()));
    }

    @EventHandler
    void on(UserUnblocked event) {
        change(event.accountId(), ids -> ids.remove(event.blockedId()));
    }
}
