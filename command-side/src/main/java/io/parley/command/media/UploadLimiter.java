package io.parley.command.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Per-user upload limits (Bucket4j token buckets, in this node's memory or in the shared {@link UploadBuckets}
 * the application declares): a count of uploads per window, and
 * a byte quota per rolling day. The quota is checked before an upload (the remaining bytes cap how much of it is
 * read) and charged after it succeeds, so a rejected upload costs nothing. Buckets of users who stopped uploading
 * are evicted once they would be full again anyway.
 */
@Component
class UploadLimiter {

    /** Answer to {@link #tryStart}: allowed, or the wait until the next upload is. */
    record Permit(boolean allowed, Duration retryAfter) {
    }

    private final MediaProperties.Rate rate;
    /** The buckets held here: every bucket when in memory, the handles of shared ones otherwise. */
    private final Cache<String, Bucket> uploads;
    private final Cache<String, Bucket> bytes;
    private final UploadBuckets shared;
    private final BucketConfiguration uploadLimit;
    private final BucketConfiguration dailyQuota;

    UploadLimiter(MediaProperties properties) {
        this(properties, (UploadBuckets) null);
    }

    @Autowired
    UploadLimiter(MediaProperties properties, ObjectProvider<UploadBuckets> shared) {
        this(properties, shared.getIfAvailable());
    }

    private UploadLimiter(MediaProperties properties, UploadBuckets shared) {
        this.rate = properties.rate();
        this.shared = shared;
        this.uploads = Caffeine.newBuilder().expireAfterAccess(rate.per()).maximumSize(1_000_000).build();
        this.bytes = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(1)).maximumSize(1_000_000).build();
        this.uploadLimit = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(rate.uploads()).refillGreedy(rate.uploads(), rate.per()))
                .build();
        long daily = rate.dailyQuota().toBytes();
        this.dailyQuota = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(daily).refillGreedy(daily, Duration.ofDays(1)))
                .build();
    }

    /** Takes one upload from the user's count. */
    Permit tryStart(String userId) {
        ConsumptionProbe probe = uploads.get(userId, id -> bucket("uploads:" + id, uploadLimit))
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? new Permit(true, Duration.ZERO)
                : new Permit(false, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Bytes the user may still upload today (never negative). */
    long remainingBytes(String userId) {
        return Math.max(0, quota(userId).getAvailableTokens());
    }

    /** Charges a stored upload to the user's quota. */
    void charge(String userId, long size) {
        quota(userId).consumeIgnoringRateLimits(size);
    }

    private Bucket quota(String userId) {
        return bytes.get(userId, id -> bucket("upload-bytes:" + id, dailyQuota));
    }

    private Bucket bucket(String key, BucketConfiguration configuration) {
        return shared != null ? shared.bucket(key, configuration)
                : Bucket.builder().addLimit(configuration.getBandwidths()[0]).build();
    }
}
