package io.parley.gateway.web.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.parley.gateway.web.Problems;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import java.time.Duration;

/**
 * Token buckets (Bucket4j) per account for sends and per client address for sign-ups. Where they live is
 * {@code chat.limits.store}: in memory, per node (with several nodes each allows the full rate), or in
 * PostgreSQL, shared by every node (docs/design.md, section 7). This node keeps the bucket objects it uses in a
 * bounded cache either way; a shared bucket's state is the database row, the object only its handle (and, for
 * sends, the local copy that Bucket4j's delaying optimization consumes from between syncs).
 */
@Component
public class RateLimits {
    private final Cache<String, Bucket> sends;
    private final Cache<String, Bucket> signUps;
    private final BucketConfiguration sendLimit;
    private final BucketConfiguration signUpLimit;
    private final BucketStore store;

    /** In memory: for tests. */
    RateLimits(RateLimitProperties properties) {
        this(properties, new MemoryBuckets());
    }

    @Autowired
    RateLimits(RateLimitProperties properties, BucketStore store) {
        this.store = store;
        this.sends = Caffeine.newBuilder().maximumSize(properties.maxKeys()).expireAfterAccess(Duration.ofMinutes(10))
                .build();
        this.signUps = Caffeine.newBuilder().maximumSize(properties.maxKeys())
                .expireAfterAccess(properties.signUpPeriod().multipliedBy(2)).build();
        this.sendLimit = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(properties.sendBurst())
                .refillGreedy(properties.sendsPerSecond(), Duration.ofSeconds(1)).build()).build();
        this.signUpLimit = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(properties.signUps())
                .refillGreedy(properties.signUps(), properties.signUpPeriod()).build()).build();
    }

    /** Takes one send of the account; {@link Duration#ZERO} when allowed, else how long until the next one is. */
    public Duration send(String accountId) {
        return take(sends.get(accountId, id -> store.bucket("send:" + id, sendLimit, true)));
    }

    /** Takes one sign-up from the address; {@link Duration#ZERO} when allowed, else the wait. */
    public Duration signUp(String address) {
        return take(signUps.get(address, a -> store.bucket("sign-up:" + a, signUpLimit, false)));
    }

    private static Duration take(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
    }

    /** REST: takes one send, or refuses with 429 {@code rate-limited} and {@code Retry-After}. */
    public void requireSend(String accountId) {
        refuseIfWaiting(send(accountId), "Too many messages");
    }

    /** REST: takes one sign-up of the address, or refuses with 429 {@code rate-limited} and {@code Retry-After}. */
    public void requireSignUp(String address) {
        refuseIfWaiting(signUp(address), "Too many sign-ups from your address");
    }

    private static void refuseIfWaiting(Duration wait, String what) {
        if (wait.isZero()) {
            return;
        }
        long seconds = retryAfterSeconds(wait);
        ErrorResponseException refused = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                what + "; try again in " + seconds + " s");
        refused.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        throw refused;
    }

    /** Whole seconds for a {@code Retry-After} header: at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
