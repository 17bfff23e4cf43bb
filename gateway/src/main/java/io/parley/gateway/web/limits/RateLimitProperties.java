package io.parley.gateway.web.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Abuse limits ({@code chat.limits.*}), token buckets per key (docs/design.md, section 5). A person typing, or a
 * client resending its outbox after a reconnect, stays far below them; a script flooding does not.
 *
 * @param sendsPerSecond    messages one account may send per second, sustained (STOMP and REST together)
 * @param sendBurst         messages one account may send at once before the sustained rate applies
 * @param signUps           accounts one client address may create per {@code signUpPeriod}
 * @param signUpPeriod      the period of {@code signUps}
 * @param maxKeys           buckets kept per kind; idle ones go first (a forgotten bucket starts full)
 */
@ConfigurationProperties("chat.limits")
public record RateLimitProperties(@DefaultValue("50") long sendsPerSecond,
                                  @DefaultValue("100") long sendBurst,
                                  @DefaultValue("300") long signUps,
                                  @DefaultValue("1h") Duration signUpPeriod,
                                  @DefaultValue("1000000") long maxKeys) {

    public RateLimitProperties {
        if (sendsPerSecond < 1 || sendBurst < 1 || signUps < 1 || maxKeys < 1
                || signUpPeriod.isNegative() || signUpPeriod.isZero()) {
            throw new IllegalArgumentException("chat.limits: rates, bursts and counts must be positive");
        }
    }
}
