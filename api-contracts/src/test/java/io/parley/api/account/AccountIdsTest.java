package io.parley.api.account;

import io.parley.api.common.CommandRejected;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountIdsTest {

    @Test
    void aMintedIdIsValid() {
        String id = UUID.randomUUID().toString();
        assertThat(AccountIds.isValid(id)).isTrue();
        assertThat(AccountIds.require(id, "peerId")).isEqualTo(id);
    }

    @Test
    void everyOtherShapeIsRefused() {
        String id = UUID.randomUUID().toString();
        List<String> bad = Arrays.asList(null, "", " ", "not-an-account", id.toUpperCase(), " " + id, id + " ",
                "{" + id + "}", id.replace("-", ""), id.substring(0, 35), id + "0", id.replace('-', '_'),
                id.substring(0, 10) + "\u0000" + id.substring(11), "a\u0000b", "x".repeat(100_000),
                id.substring(0, 35) + "g", "../" + id.substring(3));
        for (String candidate : bad) {
            assertThat(AccountIds.isValid(candidate)).as(String.valueOf(candidate)).isFalse();
            assertThatThrownBy(() -> AccountIds.require(candidate, "userId"))
                    .isInstanceOfSatisfying(CommandRejected.class, e -> {
                        assertThat(e.code()).isEqualTo("invalid-account-id");
                        assertThat(e.reason()).isEqualTo(CommandRejected.Reason.INVALID);
                        assertThat(e.getMessage()).startsWith("userId ");
                    });
        }
    }

    @Test
    void requireAllChecksEachAndTakesNoneAsEmpty() {
        AccountIds.requireAll(null, "memberIds");
        AccountIds.requireAll(List.of(UUID.randomUUID().toString()), "memberIds");
        assertThatThrownBy(() -> AccountIds.requireAll(Arrays.asList(UUID.randomUUID().toString(), null), "memberIds"))
                .isInstanceOf(CommandRejected.class);
    }
}
