package io.parley.projections.live;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live delivery ({@code chat.live.*}).
 *
 * @param batchSize            events the live-delivery processor takes per unit of work when it has fallen behind
 * @param membershipCacheSize  conversations whose member lists a node keeps in memory for routing
 */
@ConfigurationProperties("chat.live")
public record LiveDeliveryProperties(@DefaultValue("100") int batchSize,
                                     @DefaultValue("100000") long membershipCacheSize) {

    public LiveDeliveryProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("chat.live.batch-size must be positive");
        }
    }
}
