package io.parley.gateway.web.limits;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTest {

    @Test
    void sendsAreLimitedPerAccountAfterTheBurst() {
        // 1 a second: the burst must be spent before a refill, even on a busy machine (5 a second refilled
        // within the 200 ms a cold first send can take there)
        RateLimits limits = new RateLimits(RateLimitProperties.inMemory(1, 10, 300, Duration.ofHours(1), 1000));
        for (int i = 0; i < 10; i++) {
            assertThat(limits.send("ann")).as("send " + i).isZero();
        }
        Duration wait = limits.send("ann");
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(RateLimits.retryAfterSeconds(wait)).isEqualTo(1);
        assertThat(limits.send("ben")).as("another account has its own bucket").isZero();
    }

    @Test
    void signUpsAreLimitedPerAddress() {
        RateLimits limits = new RateLimits(RateLimitProperties.inMemory(5, 10, 3, Duration.ofHours(1), 1000));
        for (int i = 0; i < 3; i++) {
            assertThat(limits.signUp("203.0.113.7")).isZero();
        }
        Duration wait = limits.signUp("203.0.113.7");
        assertThat(wait).isGreaterThan(Duration.ofMinutes(19)).isLessThanOrEqualTo(Duration.ofMinutes(20));
        assertThat(limits.signUp("203.0.113.8")).isZero();
    }

    @Test
    void restCallersAreRefusedWith429RateLimitedAndRetryAfter() {
        RateLimits limits = new RateLimits(RateLimitProperties.inMemory(5, 1, 1, Duration.ofHours(1), 1000));
        limits.requireSend("ann");
        assertThatThrownBy(() -> limits.requireSend("ann"))
                .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(429);
                    assertThat(e.getBody().getType().toString()).endsWith("/rate-limited");
                    assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                });
        limits.requireSignUp("203.0.113.9");
        assertThatThrownBy(() -> limits.requireSignUp("203.0.113.9"))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(Long.parseLong(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isGreaterThan(60));
    }
}
