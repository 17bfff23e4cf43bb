package io.parley.gateway.security;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SignInThrottleTest {

    static final String ATTACKER = "203.0.113.7", OWNER = "198.51.100.20";

    /** One time for the throttle's clock and its caches' ticker. */
    final AtomicLong nanos = new AtomicLong();
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanos.get());
        }
    };
    final SignInThrottle throttle = new SignInThrottle(SignInThrottleProperties.defaults(), clock, nanos::get);

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** The Retry-After seconds of a refusal, or -1 when the attempt may go ahead. */
    long retryAfter(String handle, String address) {
        ErrorResponseException e = catchThrowableOfType(() -> throttle.check(handle, address),
                ErrorResponseException.class);
        if (e == null) {
            return -1;
        }
        assertThat(e.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(e.getBody().getType().toString()).endsWith("/too-many-attempts");
        return Long.parseLong(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void fiveFreeFailuresPerHandleAndAddressThenWaitsDoubleUpTo15Minutes() {
        for (int i = 0; i < 5; i++) {
            assertThat(retryAfter("alice", ATTACKER)).isEqualTo(-1);
            throttle.failed("alice", ATTACKER);
        }
        assertThat(retryAfter("alice", ATTACKER)).isEqualTo(-1);
        long expected = 1;
        for (int failure = 6; failure <= 20; failure++) {
            throttle.failed("alice", ATTACKER);
            assertThat(retryAfter("alice", ATTACKER)).as("after failure %d", failure).isEqualTo(expected);
            advance(Duration.ofSeconds(expected));
            assertThat(retryAfter("alice", ATTACKER)).isEqualTo(-1);
            expected = Math.min(expected * 2, 900);
        }
        assertThat(expected).isEqualTo(900);
    }

    @Test
    void theOwnerFromAnotherAddressIsNeverLockedOut() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("alice", ATTACKER);
        }
        assertThat(retryAfter("alice", ATTACKER)).isPositive();
        assertThat(retryAfter("alice", OWNER)).isEqualTo(-1);
        assertThat(retryAfter(" ALICE ", OWNER)).isEqualTo(-1);
    }

    @Test
    void handlesAreCountedTrimmedAndLowerCased() {
        for (int i = 0; i < 6; i++) {
            throttle.failed(i % 2 == 0 ? " ALICE " : "Alice", ATTACKER);
        }
        assertThat(retryAfter("alice", ATTACKER)).isEqualTo(1);
        assertThat(SignInThrottle.normalise("  X".repeat(100))).hasSize(64);
        assertThat(SignInThrottle.normalise(" Bob\t")).isEqualTo("bob");
    }

    @Test
    void fiftyFreeFailuresPerAddressWhateverTheHandles() {
        for (int i = 0; i < 50; i++) {
            throttle.failed("user" + i, ATTACKER);
        }
        assertThat(retryAfter("someone-new", ATTACKER)).isEqualTo(-1);
        throttle.failed("user50", ATTACKER);
        assertThat(retryAfter("someone-new", ATTACKER)).isEqualTo(1);
        assertThat(retryAfter("someone-new", OWNER)).isEqualTo(-1);
        throttle.failed("user51", ATTACKER);
        assertThat(retryAfter("user0", ATTACKER)).isEqualTo(2);
    }

    @Test
    void aSuccessClearsItsPairButNotItsAddress() {
        for (int i = 0; i < 6; i++) {
            throttle.failed("alice", ATTACKER);
        }
        advance(Duration.ofSeconds(1));
        throttle.succeeded("alice", ATTACKER);
        throttle.failed("alice", ATTACKER);
        assertThat(retryAfter("alice", ATTACKER)).as("the pair starts again from zero").isEqualTo(-1);

        for (int i = 0; i < 50; i++) {
            throttle.failed("x" + (i % 10), OWNER);
        }
        throttle.succeeded("mine", OWNER);
        throttle.failed("x0", OWNER);
        assertThat(retryAfter("mine", OWNER)).as("the address keeps counting").isPositive();
    }

    @Test
    void countersAreForgottenAfterAQuietHour() {
        for (int i = 0; i < 30; i++) {
            throttle.failed("alice", ATTACKER);
        }
        advance(Duration.ofMinutes(15));
        assertThat(retryAfter("alice", ATTACKER)).isEqualTo(-1);
        throttle.failed("alice", ATTACKER);
        assertThat(retryAfter("alice", ATTACKER)).as("still counted").isEqualTo(900);
        advance(Duration.ofMinutes(61));
        throttle.failed("alice", ATTACKER);
        assertThat(retryAfter("alice", ATTACKER)).as("forgotten: a free failure again").isEqualTo(-1);
    }

    @Test
    void settingsAreChecked() {
        assertThatCode(() -> new SignInThrottleProperties(5, 50, Duration.ofSeconds(2), Duration.ofSeconds(1), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SignInThrottleProperties(null, null, null, Duration.ofHours(2), Duration.ofMinutes(1), null)
                .forgetAfter()).isEqualTo(Duration.ofHours(2));
    }
}
