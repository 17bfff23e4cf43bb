package io.parley.command.account;

import io.parley.command.account.SignInSessions.Outcome;

import java.time.Instant;

/**
 * One row of the {@code sign_in_sessions} table, and the rule that decides an exchange of a refresh token
 * against it (the reuse detection of refresh token rotation).
 *
 * @param revokedAt null while the session is active
 */
record SignInSession(String sessionId, String accountId, String tokenId, Instant expiresAt, Instant revokedAt) {

    /**
     * @return {@link Outcome#ROTATED} when the presented token is the current one of an active session (the
     * exchange may go ahead), else why not; a revoked session answers {@code REVOKED} even for an old token,
     * since there is nothing left to end
     */
    Outcome check(String presentedAccountId, String presentedTokenId, Instant now) {
        if (!accountId.equals(presentedAccountId)) {
            return Outcome.UNKNOWN;
        }
        if (revokedAt != null) {
            return Outcome.REVOKED;
        }
        if (!expiresAt.isAfter(now)) {
            return Outcome.EXPIRED;
        }
        return tokenId.equals(presentedTokenId) ? Outcome.ROTATED : Outcome.REUSED;
    }
}
