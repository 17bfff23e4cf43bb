package io.parley.gateway.app;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * {@code chat.axon.pacing.*}: per tracking processor, how long it waits after a batch while it keeps up, so that
 * light load forms batches ({@link io.parley.projections.batching.PacedTokenStore}; docs/design.md, section 13).
 * Only processors whose readers tolerate that much lag belong here; an absent or zero pace means none.
 */
@ConfigurationProperties("chat.axon")
record ProcessorPacing(@DefaultValue Map<String, Duration> pacing) {

    ProcessorPacing {
        pacing.forEach((processor, pace) -> {
            if (pace.isNegative() || pace.compareTo(Duration.ofSeconds(2)) > 0) {
                throw new IllegalArgumentException("chat.axon.pacing." + processor
                        + " must be between 0 and 2s (a longer wait would let claims and readers lapse)");
            }
        });
    }
}
