package io.parley.query.presence;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Presence and last seen ({@code chat.presence.*}).
 *
 * @param lastSeenInterval  while a user is online, their last seen is written at most this often
 *                          (docs/design.md, section 5: once a minute), and on their last disconnect
 * @param privacyCacheSize  accounts whose last-seen privacy setting the gateway keeps in memory
 * @param privacyCacheTtl   how long a cached privacy setting is trusted without an event refreshing it
 *                          (events update it at once; the TTL only bounds the damage of a missed one)
 */
@ConfigurationProperties("chat.presence")
public record PresenceProperties(@DefaultValue("1m") Duration lastSeenInterval,
                                 @DefaultValue("100000") long privacyCacheSize,
                                 @DefaultValue("10m") Duration privacyCacheTtl) {

    public PresenceProperties {
        if (lastSeenInterval.isNegative() || lastSeenInterval.isZero()) {
            throw new IllegalArgumentException("chat.presence.last-seen-interval must be positive");
        }
    }
}
