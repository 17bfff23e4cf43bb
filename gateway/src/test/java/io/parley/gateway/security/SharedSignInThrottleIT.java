package io.parley.gateway.security;

import com.github.benmanes.caffeine.cache.Ticker;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.ErrorResponseException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code chat.limits.store=postgres}: two nodes' sign-in throttles count failures in one PostgreSQL table, so
 * guesses spread over the nodes meet one counter.
 */
class SharedSignInThrottleIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void failuresOnOneNodeMakeTheOtherWait() {
        SignInThrottleProperties properties = SignInThrottleProperties.defaults();
        Instant now = Instant.now();
        Clock clock = at(now);
        SignInThrottle nodeA = new SignInThrottle(properties, clock, new JdbcFailureCounters(jdbc, properties),
                Ticker.systemTicker());
        SignInThrottle nodeB = new SignInThrottle(properties, clock, new JdbcFailureCounters(jdbc, properties),
                Ticker.systemTicker());
        String handle = "victim-" + UUID.randomUUID();
        String attacker = "203.0.113.1/" + UUID.randomUUID();
        String owner = "198.51.100.1/" + UUID.randomUUID();

        // 5 free failures for (handle, address), spread over both nodes
        for (int i = 0; i < 5; i++) {
            SignInThrottle node = i % 2 == 0 ? nodeA : nodeB;
            node.check(handle, attacker);
            node.failed(handle, attacker);
        }
        assertThatCode(() -> nodeB.check(handle, attacker)).doesNotThrowAnyException();
        nodeB.failed(handle, attacker); // the 6th: a 1 s wait, on every node
        assertThatThrownBy(() -> nodeA.check(handle, attacker)).isInstanceOf(ErrorResponseException.class);
        assertThatThrownBy(() -> nodeB.check(" " + handle.toUpperCase() + " ", attacker))
                .isInstanceOf(ErrorResponseException.class);
        // the owner, from their own address, is not slowed
        assertThatCode(() -> nodeA.check(handle, owner)).doesNotThrowAnyException();

        // the wait ends, for every node
        SignInThrottle laterA = new SignInThrottle(properties, at(now.plus(Duration.ofSeconds(2))),
                new JdbcFailureCounters(jdbc, properties), Ticker.systemTicker());
        assertThatCode(() -> laterA.check(handle, attacker)).doesNotThrowAnyException();
        // a success on one node clears the pair on the other
        assertThatThrownBy(() -> nodeB.check(handle, attacker)).isInstanceOf(ErrorResponseException.class);
        nodeA.succeeded(handle, attacker);
        assertThatCode(() -> nodeB.check(handle, attacker)).doesNotThrowAnyException();
    }

    @Test
    void aCounterUntouchedForForgetAfterStartsAgain() {
        SignInThrottleProperties properties = new SignInThrottleProperties(1, 50, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofMinutes(10), 100);
        Instant now = Instant.now();
        String handle = "h-" + UUID.randomUUID();
        String address = "192.0.2.1/" + UUID.randomUUID();
        SignInThrottle first = new SignInThrottle(properties, at(now), new JdbcFailureCounters(jdbc, properties),
                Ticker.systemTicker());
        first.failed(handle, address);
        first.failed(handle, address); // past the one free failure: a minute's wait
        assertThatThrownBy(() -> first.check(handle, address)).isInstanceOf(ErrorResponseException.class);

        SignInThrottle muchLater = new SignInThrottle(properties, at(now.plus(Duration.ofMinutes(11))),
                new JdbcFailureCounters(jdbc, properties), Ticker.systemTicker());
        muchLater.failed(handle, address); // counted as the first again: free
        assertThatCode(() -> muchLater.check(handle, address)).doesNotThrowAnyException();
    }
}
