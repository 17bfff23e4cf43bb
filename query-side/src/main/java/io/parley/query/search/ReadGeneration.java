package io.parley.query.search;

import io.parley.projections.search.MessageIndex;

import java.time.Duration;

/**
 * The concrete index the read alias names, cached briefly: it changes only when a rebuild is promoted, and the
 * membership collection searches filter with belongs to that generation.
 */
final class ReadGeneration {

    private final MessageIndex index;
    private final long ttlNanos;
    private volatile String name;
    private volatile long readAt;

    ReadGeneration(MessageIndex index, Duration ttl) {
        this.index = index;
        this.ttlNanos = ttl.toNanos();
    }

    String current() {
        long now = System.nanoTime();
        String cached = name;
        if (cached == null || now - readAt > ttlNanos) {
            cached = index.readIndex();
            name = cached;
            readAt = now;
        }
        return cached;
    }
}
