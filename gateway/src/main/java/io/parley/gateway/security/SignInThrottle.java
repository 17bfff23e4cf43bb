package io.parley.gateway.security;

import com.github.benmanes.caffeine.cache.Ticker;
import io.parley.gateway.web.Problems;
import io.parley.gateway.web.limits.RateLimitProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Slows password guessing (docs/design.md, section 5, Security) without letting anyone lock a victim out of
 * their own account (issue 15). Failures are counted per (handle, client address) and per client address,
 * never per handle alone: a stranger's wrong passwords for a handle slow that stranger, while the owner,
 * signing in from their own address, is not affected. Past {@code free-failures-per-handle} (5) failures for one pair, or {@code free-failures-per-address}
 * (50) from one address, each further failure makes that key wait, from {@code first-wait} (1 s) doubling up
 * to {@code max-wait} (15 min); an attempt during a wait is refused with 429 {@code too-many-attempts} and
 * {@code Retry-After}, before the password is even compared. A successful sign-in clears its pair, not its
 * address (an attacker could otherwise reset the address count with an account of their own).
 * <p>
 * Counted where {@code chat.limits.store} says: in memory per node (Caffeine caches that forget on their own
 * and are bounded in size; a node restart forgets, which bounds guessing well enough on one node), or in
 * PostgreSQL, shared by every node ({@link JdbcFailureCounters}). Handles are normalised (trimmed,
 * lower-cased) and cut to 64 characters, so {@code " HANDLE "} counts as {@code handle} and a huge handle
 * cannot grow the counters' keys.
 */
@Component
class SignInThrottle {

    static final int HANDLE_KEY_MAX = 64;

    private final SignInThrottleProperties properties;
    private final Clock clock;
    private final FailureCounters pairs;
    private final FailureCounters addresses;

    @Autowired
    SignInThrottle(SignInThrottleProperties properties, Clock clock, RateLimitProperties limits,
                   ObjectProvider<JdbcTemplate> jdbc) {
        this(properties, clock, limits.store() == RateLimitProperties.Store.POSTGRES
                ? new JdbcFailureCounters(jdbc.getObject(), properties) : null, Ticker.systemTicker());
    }

    /** In memory; {@code ticker}: the counters' own time, so a test can move both clocks together. */
    SignInThrottle(SignInThrottleProperties properties, Clock clock, Ticker ticker) {
        this(properties, clock, null, ticker);
    }

    /** {@code shared}: one table for both kinds (their keys never meet); null for two caches of max-entries each. */
    SignInThrottle(SignInThrottleProperties properties, Clock clock, FailureCounters shared, Ticker ticker) {
        this.properties = properties;
        this.clock = clock;
        this.pairs = shared != null ? shared : new MemoryFailureCounters(properties, ticker);
        this.addresses = shared != null ? shared : new MemoryFailureCounters(properties, ticker);
    }

    /** The form a handle is counted under: trimmed, lower-case, at most 64 characters. */
    static String normalise(String handle) {
        String normal = handle == null ? "" : handle.strip().toLowerCase(Locale.ROOT);
        return normal.length() <= HANDLE_KEY_MAX ? normal : normal.substring(0, HANDLE_KEY_MAX);
    }

    /** @throws ErrorResponseException 429 {@code too-many-attempts} with {@code Retry-After} while a wait runs */
    void check(String handle, String address) {
        Instant now = clock.instant();
        Duration wait = longest(remaining(pairs.waitingUntil(pair(handle, address), now), now),
                remaining(addresses.waitingUntil(address(address), now), now));
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            ErrorResponseException refused = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts",
                    "Too many failed sign-ins from your address; try again in " + seconds + " s");
            refused.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            throw refused;
        }
    }

    void failed(String handle, String address) {
        Instant now = clock.instant();
        count(pairs, pair(handle, address), properties.freeFailuresPerHandle(), now);
        count(addresses, address(address), properties.freeFailuresPerAddress(), now);
    }

    void succeeded(String handle, String address) {
        pairs.clear(pair(handle, address));
    }

    private void count(FailureCounters counters, String key, int free, Instant now) {
        int count = counters.fail(key, now);
        if (count > free) {
            int doublings = Math.min(count - free - 1, 40); // 2^40 s is far beyond any max-wait
            Duration wait = properties.firstWait().multipliedBy(1L << doublings);
            counters.waitUntil(key, now.plus(wait.compareTo(properties.maxWait()) > 0 ? properties.maxWait() : wait));
        }
    }

    private static Duration remaining(Instant waitUntil, Instant now) {
        if (waitUntil == null || !waitUntil.isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(now, waitUntil);
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** A pair's key holds a line break, an address never does: both kinds can share one table. */
    private static String pair(String handle, String address) {
        return normalise(handle) + "\n" + address(address);
    }

    private static String address(String address) {
        return address == null ? "" : address;
    }
}
