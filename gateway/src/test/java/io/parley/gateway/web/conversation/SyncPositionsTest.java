package io.parley.gateway.web.conversation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncPositionsTest {

    static final String A = "0f8fad5b-d9cb-469f-a165-70867728950e";
    static final String B = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    @Test
    void pairsBecomePositions() {
        assertThat(SyncPositions.parse(A + ":5, " + B + ":0")).containsEntry(A, 5L).containsEntry(B, 0L).hasSize(2);
        assertThat(SyncPositions.parse(null)).isEmpty();
        assertThat(SyncPositions.parse("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {",,,", ":5", "\0:1", A + ":-1", A + ":1.5", A + ":", A, "not-a-uuid:1", " ",
            "0F8FAD5B-D9CB-469F-A165-70867728950E:1", A + ":1," + A + ":2", A + ":1,", A + ":99999999999999999999"})
    void anythingElseIsA400NamingTheEntry(String since) {
        assertThatThrownBy(() -> SyncPositions.parse(since)).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            assertThat(e.getBody().getDetail()).startsWith("since entry ").doesNotContain("\0");
        });
    }

    @Test
    void theBodyFormFollowsTheSameRules() {
        assertThat(SyncPositions.check(Map.of(A, 3L))).containsEntry(A, 3L);
        assertThat(SyncPositions.check(null)).isEmpty();
        Map<String, Long> nullSeq = new HashMap<>();
        nullSeq.put(A, null);
        for (Map<String, Long> bad : java.util.List.of(Map.of(A, -1L), Map.of("x\0", 1L), Map.of("", 1L), nullSeq)) {
            assertThatThrownBy(() -> SyncPositions.check(bad)).as(bad.toString())
                    .isInstanceOfSatisfying(ErrorResponseException.class,
                            e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
        }
    }
}
