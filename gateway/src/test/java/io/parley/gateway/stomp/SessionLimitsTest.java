package io.parley.gateway.stomp;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompConversionException;

import static io.parley.gateway.stomp.SessionLimits.Subscribe.ACCEPTED;
import static io.parley.gateway.stomp.SessionLimits.Subscribe.DUPLICATE;
import static io.parley.gateway.stomp.SessionLimits.Subscribe.TOO_MANY;
import static org.assertj.core.api.Assertions.assertThat;

class SessionLimitsTest {

    @Test
    void aDuplicateDestinationOrIdIsRefusedAndTheCapHolds() {
        SessionLimits limits = new SessionLimits(3, 10);
        assertThat(limits.subscribe("s", "1", "/user/queue/messages")).isEqualTo(ACCEPTED);
        assertThat(limits.subscribe("s", "2", "/user/queue/messages")).isEqualTo(DUPLICATE);
        assertThat(limits.subscribe("s", "1", "/user/queue/acks")).isEqualTo(DUPLICATE);
        assertThat(limits.subscribe("s", "2", "/user/queue/acks")).isEqualTo(ACCEPTED);
        assertThat(limits.subscribe("s", "3", "/user/queue/errors")).isEqualTo(ACCEPTED);
        assertThat(limits.subscribe("s", "4", "/user/queue/typing")).isEqualTo(TOO_MANY);
        assertThat(limits.subscribe("other", "4", "/user/queue/typing")).as("per session").isEqualTo(ACCEPTED);
        limits.unsubscribe("s", "1");
        assertThat(limits.subscribe("s", "5", "/user/queue/messages")).as("room again after UNSUBSCRIBE").isEqualTo(ACCEPTED);
        limits.disconnected("s");
        assertThat(limits.subscribe("s", "1", "/user/queue/acks")).isEqualTo(ACCEPTED);
    }

    @Test
    void sessionsPerUserAreCappedAndFreedOnDisconnect() {
        SessionLimits limits = new SessionLimits(32, 2);
        assertThat(limits.connect("u", "a")).isTrue();
        assertThat(limits.isConnected("a")).isTrue();
        assertThat(limits.connect("u", "b")).isTrue();
        assertThat(limits.connect("u", "c")).isFalse();
        assertThat(limits.isConnected("c")).isFalse();
        assertThat(limits.connect("v", "d")).as("per user").isTrue();
        limits.disconnected("a");
        assertThat(limits.isConnected("a")).isFalse();
        assertThat(limits.connect("u", "c")).isTrue();
    }

    @Test
    void protocolErrorsSayWhatWasWrongWithoutInternals() {
        assertThat(StompErrors.reason(null, new StompConversionException("Illegal escape sequence at index 3: \\q\n")))
                .isEqualTo("malformed frame: Illegal escape sequence at index 3: \\q?");
        assertThat(StompErrors.reason(null, new IllegalArgumentException(
                "No enum constant org.springframework.messaging.simp.stomp.StompCommand.FOO")))
                .isEqualTo("malformed frame: unknown command FOO; STOMP 1.2 commands only");
        assertThat(StompErrors.reason(null, new IllegalStateException("secret internals")))
                .doesNotContain("internal", "secret");
        assertThat(StompErrors.reason(null, new RuntimeException(new StompErrors.Refused("unauthorized: x"))))
                .isEqualTo("unauthorized: x");
    }
}
