package io.parley.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Instant;

/**
 * Failure counters in this node's memory: a Caffeine cache that forgets a counter {@code forget-after} its last
 * failure and holds at most {@code max-entries}; a node restart forgets them all.
 */
final class MemoryFailureCounters implements FailureCounters {

    private final Cache<String, Failures> counters;

    MemoryFailureCounters(SignInThrottleProperties properties, Ticker ticker) {
        this.counters = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(properties.forgetAfter())
                .maximumSize(properties.maxEntries()).build();
    }

    @Override
    public int fail(String key, Instant now) {
        return counters.asMap().compute(key, (k, f) -> f == null ? new Failures(1, null)
                : new Failures(f.count() + 1, f.waitUntil())).count();
    }

    @Override
    public void waitUntil(String key, Instant until) {
        counters.asMap().computeIfPresent(key, (k, f) -> new Failures(f.count(), until));
    }

    @Override
    public Instant waitingUntil(String key, Instant now) {
        Failures failures = counters.getIfPresent(key);
        return failures == null ? null : failures.waitUntil();
    }

    @Override
    public void clear(String key) {
        counters.invalidate(key);
    }

    /** {@code waitUntil}: null while the failures are still free. */
    private record Failures(int count, Instant waitUntil) {
    }
}
