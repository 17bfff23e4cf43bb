package io.parley.command.account;

import io.parley.command.account.SignInSessions.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision behind refresh token rotation and reuse detection (JdbcSignInSessions applies it). */
class SignInSessionTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final String ALICE = "6f1c8a52-8f7e-4c59-9a55-3c1f5f4b0d11";
    private static final String BOB = "9b2d7e14-3a5c-4f60-8d21-7c4e9f0a1b33";

    private static SignInSession active(String currentToken) {
        return new SignInSession("s1", ALICE, currentToken, NOW.plus(Duration.ofDays(30)), null);
    }

    @Test
    void theCurrentTokenOfAnActiveSessionRotates() {
        assertThat(active("t2").check(ALICE, "t2", NOW)).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void anyEarlierTokenIsReuse() {
        assertThat(active("t2").check(ALICE, "t1", NOW)).isEqualTo(Outcome.REUSED);
        assertThat(active("t2").check(ALICE, "never-issued", NOW)).isEqualTo(Outcome.REUSED);
    }

    @Test
    void aRevokedSessionRefusesEveryTokenAsRevoked() {
        SignInSession revoked = new SignInSession("s1", ALICE, "t2", NOW.plus(Duration.ofDays(30)), NOW.minusSeconds(5));
        assertThat(revoked.check(ALICE, "t2", NOW)).isEqualTo(Outcome.REVOKED);
        assertThat(revoked.check(ALICE, "t1", NOW)).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void anExpiredSessionIsExpiredFromItsExpiryOn() {
        SignInSession session = new SignInSession("s1", ALICE, "t2", NOW, null);
        assertThat(session.check(ALICE, "t2", NOW.minusMillis(1))).isEqualTo(Outcome.ROTATED);
        assertThat(session.check(ALICE, "t2", NOW)).isEqualTo(Outcome.EXPIRED);
        assertThat(session.check(ALICE, "t1", NOW.plusSeconds(1))).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void anotherAccountsSessionIsUnknownEvenWithItsCurrentToken() {
        assertThat(active("t2").check(BOB, "t2", NOW)).isEqualTo(Outcome.UNKNOWN);
    }
}
