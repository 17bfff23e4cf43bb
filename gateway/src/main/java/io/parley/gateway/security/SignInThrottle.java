package io.parley.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.gateway.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows password guessing: after 10 failed sign-ins for one handle within 15 minutes, further attempts for
 * that handle are refused with 429 until the window passes. Counted in memory per node (a Caffeine cache
 * that forgets on its own), which bounds guessing without a table.
 */
@Component
class SignInThrottle {

    static final int MAX_FAILURES = 10;

    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(15)).maximumSize(100_000).build();

    void check(String handle) {
        AtomicInteger count = failures.getIfPresent(handle);
        if (count != null && count.get() >= MAX_FAILURES) {
            throw Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts",
                    "Too many failed sign-ins for this handle; try again later");
        }
    }

    void failed(String handle) {
        failures.get(handle, h -> new AtomicInteger()).incrementAndGet();
    }

    void succeeded(String handle) {
        failures.invalidate(handle);
    }
}
