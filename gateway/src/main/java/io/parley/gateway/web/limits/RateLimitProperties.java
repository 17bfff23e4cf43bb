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
 * @param maxKeys           buckets kept per kind in this node's memory; idle ones go first (a forgotten bucket
 *                          starts full with {@code memory}, and is read again from PostgreSQL with {@code postgres})
 * @param store             {@code memory}: buckets per node, each node allows the full rate; {@code postgres}:
 *                          buckets in the write side's PostgreSQL, shared by every node (and sign-in failures too)
 * @param syncEvery         {@code postgres} only: sends one node may take from its local copy of an account's bucket
 *                          before it writes them to PostgreSQL (0: every send goes to PostgreSQL); each node may so
 *                          let through up to this many sends beyond the shared limit
 * @param syncInterval      {@code postgres} only: the longest a node keeps unwritten sends before it syncs anyway
 */
@ConfigurationProperties("chat.limits")
public record RateLimitProperties(@DefaultValue("50") long sendsPerSecond,
                                  @DefaultValue("100") long sendBurst,
                                  @DefaultValue("300") long signUps,
                                  @DefaultValue("1h") Duration signUpPeriod,
                                  @DefaultValue("1000000") long maxKeys,
                                  @DefaultValue("memory") Store store,
                                  @DefaultValue("10") long syncEvery,
                                  @DefaultValue("1s") Duration syncInterval) {

    /** Where buckets live. */
    public enum Store {
        MEMORY, POSTGRES
    }

    public RateLimitProperties {
        if (sendsPerSecond < 1 || sendBurst < 1 || signUps < 1 || maxKeys < 1
                || signUpPeriod.isNegative() || signUpPeriod.isZero()) {
            throw new IllegalArgumentException("chat.limits: rates, bursts and counts must be positive");
        }
        if (store == null || syncEvery < 0 || syncInterval.isNegative()) {
            throw new IllegalArgumentException("chat.limits: store is memory or postgres; sync-every and"
                    + " sync-interval are >= 0");
        }
    }

    /** The given limits, buckets in memory (tests, and the single-node default). */
    public static RateLimitProperties inMemory(long sendsPerSecond, long sendBurst, long signUps, Duration signUpPeriod,
                                               long maxKeys) {
        return new RateLimitProperties(sendsPerSecond, sendBurst, signUps, signUpPeriod, maxKeys, Store.MEMORY, 10,
                Duration.ofSeconds(1));
    }
}
