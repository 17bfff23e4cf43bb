package io.parley.query.presence;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionRegistryTest {

    @Test
    void aUserIsOnlineFromTheFirstSessionOpeningUntilTheLastOneClosing() {
        SessionRegistry registry = new SessionRegistry();
        List<String> changes = new ArrayList<>();
        registry.onChange((user, online) -> changes.add(user + (online ? " on" : " off")));

        registry.opened("a", "s1");
        registry.opened("a", "s2");
        assertThat(registry.isOnline("a")).isTrue();
        assertThat(registry.sessionCount("a")).isEqualTo(2);
        assertThat(registry.onlineUsers()).isEqualTo(1);

        registry.closed("a", "s1");
        registry.closed("a", "unknown");
        assertThat(registry.isOnline("a")).isTrue();
        registry.closed("a", "s2");
        registry.closed("a", "s2");

        assertThat(registry.isOnline("a")).isFalse();
        assertThat(registry.onlineUsers()).isZero();
        assertThat(changes).containsExactly("a on", "a off");
    }
}
