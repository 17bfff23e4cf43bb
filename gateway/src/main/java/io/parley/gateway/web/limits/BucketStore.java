package io.parley.gateway.web.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/**
 * Where {@link RateLimits}' token buckets live ({@code chat.limits.store}): this node's memory
 * ({@link MemoryBuckets}) or PostgreSQL, shared by every node ({@link PostgresBuckets}).
 */
interface BucketStore extends AutoCloseable {

    /**
     * The bucket under {@code key}, created with {@code configuration} when there is none yet.
     *
     * @param hot whether it is on a hot path (sends): a shared store may then consume from a local copy and write
     *            to the shared state only every few tokens ({@code chat.limits.sync-every})
     */
    Bucket bucket(String key, BucketConfiguration configuration, boolean hot);

    @Override
    default void close() {
    }
}
