package io.parley.projections.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The audit chain ({@code chat.audit.chain.*}).
 *
 * @param headLogInterval while the chain grows, its head is logged at most this often (and on every verify)
 * @param verifyChunk     rows read per query while verify walks the store (memory held: one chunk)
 */
@ConfigurationProperties("chat.audit.chain")
public record AuditChainProperties(@DefaultValue("5m") Duration headLogInterval,
                                   @DefaultValue("1000") int verifyChunk) {

    public AuditChainProperties {
        if (headLogInterval.isNegative() || headLogInterval.isZero()) {
            throw new IllegalArgumentException("chat.audit.chain.head-log-interval must be positive");
        }
        if (verifyChunk < 1) {
            throw new IllegalArgumentException("chat.audit.chain.verify-chunk must be at least 1");
        }
    }
}
