package io.parley.query.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.LastSeenVisibility;
import io.parley.projections.account.AccountDocument;
import io.parley.projections.account.AccountViews;
import io.parley.projections.live.LiveDeliveryConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Each account's last-seen privacy, from the {@code accounts} read model (one {@code _id} read on a miss),
 * cached with Caffeine. A {@link PrivacyChanged} event puts the new value straight into the cache (it is
 * handled in the in-memory live-delivery processor, which may run ahead of the accounts projection, so
 * re-reading the view there could read the old value).
 */
@Component
@ProcessingGroup(LiveDeliveryConfiguration.PROCESSING_GROUP)
class PrivacySettings {
    private final Cache<String, Optional<LastSeenVisibility>> cache;
    private final AccountViews accounts;

    PrivacySettings(AccountViews accounts, PresenceProperties properties) {
        this.accounts = accounts;
        this.cache = Caffeine.newBuilder().maximumSize(properties.privacyCacheSize())
                .expireAfterWrite(properties.privacyCacheTtl()).build();
    }

    /** Empty for an account the read model does not (yet) know. */
    Optional<LastSeenVisibility> lastSeen(String accountId) {
        Optional<LastSeenVisibility> known = cache.getIfPresent(accountId);
        if (known != null) {
            return known;
        }
        Optional<LastSeenVisibility> loaded = accounts.account(accountId).map(AccountDocument::lastSeen);
        if (loaded.isEmpty()) {
            // not cached: a brand-new account's view may be a moment behind its registration
            return Optional.empty();
        }
        // an event that arrived meanwhile wins over what was read
        return cache.asMap().computeIfAbsent(accountId, id -> loaded);
    }

    @EventHandler
    void on(PrivacyChanged event) {
        cache.put(event.accountId(), Optional.of(event.lastSeen()));
    }
}
