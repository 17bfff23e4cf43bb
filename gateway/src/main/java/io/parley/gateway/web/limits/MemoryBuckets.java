package io.parley.gateway.web.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.local.LocalBucketBuilder;

/** Buckets in this node's memory: with several nodes, each allows the full rate. */
final class MemoryBuckets implements BucketStore {

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration, boolean hot) {
        LocalBucketBuilder builder = Bucket.builder();
        for (var bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }
}
