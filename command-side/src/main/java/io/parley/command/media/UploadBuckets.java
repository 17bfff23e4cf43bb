package io.parley.command.media;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/**
 * Where the upload limits' token buckets live: this node's memory (the default, when the application declares no
 * other) or a store shared by every node ({@code chat.limits.store=postgres}), so a user cannot multiply their
 * daily quota by spreading uploads over the nodes.
 */
public interface UploadBuckets {

    /** The bucket under {@code key}, created with {@code configuration} when there is none yet. */
    Bucket bucket(String key, BucketConfiguration configuration);
}
