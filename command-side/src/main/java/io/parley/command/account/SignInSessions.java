package io.parley.command.account;

import java.time.Instant;
import java.util.List;

/**
 * Sign-in sessions on the write side's PostgreSQL: one row per session (a refresh token family), holding the
 * id of the one refresh token that may still be exchanged. Refresh tokens are one-time (OAuth 2.0 Security
 * BCP, refresh token rotation): each exchange replaces the current token id, and presenting a token that was
 * already exchanged is reuse, which ends the whole session. Kept in PostgreSQL, not in memory, so every node
 * sees the same state and a restart forgets nothing. Revocation is written by the Account aggregate's
 * {@code SignOut} handler, in the transaction that stores its {@code SignedOut} event.
 */
public interface SignInSessions {

    /** A new session (a sign-in) whose first refresh token is {@code tokenId}. */
    default void start(String sessionId, String accountId, String tokenId, Instant expiresAt, Instant now) {
        start(sessionId, accountId, tokenId, expiresAt, now, null);
    }

    /**
     * A new session, remembering the {@code User-Agent} of the sign-in (null when none was sent) so that its
     * owner can tell their devices apart in {@link #active}.
     */
    void start(String sessionId, String accountId, String tokenId, Instant expiresAt, Instant now, String userAgent);

    /** The account's sessions neither revoked nor expired at {@code now}, the most recently started first. */
    List<ActiveSession> active(String accountId, Instant now);

    /**
     * Exchanges the presented refresh token for the next one, atomically: of two concurrent exchanges of one
     * token, one rotates and the other sees reuse.
     */
    Outcome rotate(String sessionId, String accountId, String presentedTokenId, String nextTokenId,
                   Instant nextExpiresAt, Instant now);

    /** Revokes one session of the account; @return whether it was still active */
    boolean revoke(String accountId, String sessionId, Instant now);

    /** Revokes every active session of the account; @return how many were active */
    int revokeAll(String accountId, Instant now);

    /**
     * A session as its owner sees it: {@code lastUsedAt} is the last refresh (the sign-in itself until the first),
     * since access tokens are never looked up; {@code userAgent} may be null.
     */
    record ActiveSession(String sessionId, Instant startedAt, Instant lastUsedAt, Instant expiresAt,
                         String userAgent) {
    }

    /** What an exchange of a refresh token found. */
    enum Outcome {
        /** the token was the session's current one: it is now replaced by the next */
        ROTATED,
        /** the token had already been exchanged: a copy is in someone's hands, the session must end */
        REUSED,
        /** the session was ended (signed out, or ended on reuse) */
        REVOKED,
        /** the session outlived its refresh token lifetime */
        EXPIRED,
        /** no such session of this account (never started, or purged after expiry) */
        UNKNOWN
    }
}
