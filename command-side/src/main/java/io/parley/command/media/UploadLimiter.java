package io.parley.command.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Per-user upload limits (Bucket4j token buckets, held in memory per node): a count of uploads per window, and
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
    private final Cache<String, Bucket> uploads;
    private final Cache<String, Bucket> bytes;

    UploadLimiter(MediaProperties properties) {
        this.rate = properties.rate();
        this.uploads = Caffeine.newBuilder().expireAfterAccess(rate.per()).maximumSize(1_000_000).build();
        this.bytes = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(1)).maximumSize(1_000_000).build();
    }

    /** Takes one upload from the user's count. */
    Permit tryStart(String userId) {
        ConsumptionProbe probe = uploads.get(userId, id -> Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.uploads()).refillGreedy(rate.uploads(), rate.per()))
                .build()).tryConsumeAndReturnRemaining(1);
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
        long daily = rate.dailyQuota().toBytes();
        return bytes.get(userId, id -> Bucket.builder()
                .addLimit(limit -> limit.capacity(daily).refillGreedy(daily, Duration.ofDays(1)))
                .build());
    }
}
