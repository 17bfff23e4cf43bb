package io.parley.command.account;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@link SignInSessions} on the event store's PostgreSQL database, beside {@code handles} and {@code credentials}.
 * An exchange is one conditional {@code UPDATE} (the presented token must still be the current one), so
 * concurrent exchanges on any nodes cannot both succeed; only a refused one reads the row to say why. Revocations
 * run inside the {@code SignOut} command's transaction (JdbcTemplate joins it) and so commit with its event.
 * A session's row is kept for a day past its expiry, so a late token still gets a precise answer, then purged.
 */
@Component
class JdbcSignInSessions implements SignInSessions, SmartInitializingSingleton {

    /** How long an expired session's row is kept before it is purged. */
    static final Duration KEEP_EXPIRED = Duration.ofDays(1);

    /** A User-Agent is kept to this many characters: enough to name a browser or an app and its version. */
    static final int MAX_USER_AGENT = 256;

    private static final RowMapper<SignInSession> SESSION = (rs, i) -> new SignInSession(
            rs.getString("session_id"), rs.getString("account_id"), rs.getString("token_id"),
            rs.getTimestamp("expires_at").toInstant(),
            rs.getTimestamp("revoked_at") == null ? null : rs.getTimestamp("revoked_at").toInstant());

    private final JdbcTemplate jdbc;

    JdbcSignInSessions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS sign_in_sessions (
                    session_id VARCHAR(36) PRIMARY KEY,
                    account_id VARCHAR(36) NOT NULL,
                    token_id   VARCHAR(36) NOT NULL,
                    started_at TIMESTAMPTZ NOT NULL,
                    rotated_at TIMESTAMPTZ,
                    expires_at TIMESTAMPTZ NOT NULL,
                    revoked_at TIMESTAMPTZ
                )""");
        jdbc.execute("CREATE INDEX IF NOT EXISTS sign_in_sessions_account ON sign_in_sessions (account_id)");
        // added with GET /api/me/sessions: sessions started before have none
        jdbc.execute("ALTER TABLE sign_in_sessions ADD COLUMN IF NOT EXISTS user_agent VARCHAR(" + MAX_USER_AGENT + ")");
    }

    /** Purges the rows of sessions long expired, once per start (each sign-in also purges its account's). */
    @Override
    public void afterSingletonsInstantiated() {
        jdbc.update("DELETE FROM sign_in_sessions WHERE expires_at < ?", at(Instant.now().minus(KEEP_EXPIRED)));
    }

    @Override
    public void start(String sessionId, String accountId, String tokenId, Instant expiresAt, Instant now,
                      String userAgent) {
        jdbc.update("DELETE FROM sign_in_sessions WHERE account_id = ? AND expires_at < ?",
                accountId, at(now.minus(KEEP_EXPIRED)));
        jdbc.update("""
                INSERT INTO sign_in_sessions (session_id, account_id, token_id, started_at, expires_at, user_agent)
                VALUES (?, ?, ?, ?, ?, ?)""", sessionId, accountId, tokenId, at(now), at(expiresAt),
                userAgent(userAgent));
    }

    @Override
    public List<ActiveSession> active(String accountId, Instant now) {
        return jdbc.query("""
                        SELECT session_id, started_at, COALESCE(rotated_at, started_at) AS last_used_at, expires_at,
                               user_agent
                        FROM sign_in_sessions WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?
                        ORDER BY started_at DESC, session_id""",
                (rs, i) -> new ActiveSession(rs.getString("session_id"), rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("last_used_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                        rs.getString("user_agent")),
                accountId, at(now));
    }

    /** Whatever the client sent, cut to the column and without U+0000 (PostgreSQL text cannot hold it). */
    static String userAgent(String header) {
        if (header == null) {
            return null;
        }
        String cleaned = header.replace("\0", "").strip();
        if (cleaned.isEmpty()) {
            return null;
        }
        if (cleaned.length() <= MAX_USER_AGENT) {
            return cleaned;
        }
        // never half a surrogate pair at the cut
        int end = Character.isHighSurrogate(cleaned.charAt(MAX_USER_AGENT - 1)) ? MAX_USER_AGENT - 1 : MAX_USER_AGENT;
        return cleaned.substring(0, end);
    }

    @Override
    public Outcome rotate(String sessionId, String accountId, String presentedTokenId, String nextTokenId,
                          Instant nextExpiresAt, Instant now) {
        int rotated = jdbc.update("""
                UPDATE sign_in_sessions SET token_id = ?, rotated_at = ?, expires_at = ?
                WHERE session_id = ? AND account_id = ? AND token_id = ? AND revoked_at IS NULL AND expires_at > ?""",
                nextTokenId, at(now), at(nextExpiresAt), sessionId, accountId, presentedTokenId, at(now));
        if (rotated == 1) {
            return Outcome.ROTATED;
        }
        Outcome why = jdbc.query("""
                        SELECT session_id, account_id, token_id, expires_at, revoked_at
                        FROM sign_in_sessions WHERE session_id = ?""", SESSION, sessionId)
                .stream().findFirst().map(s -> s.check(accountId, presentedTokenId, now)).orElse(Outcome.UNKNOWN);
        // token ids are never used twice, so a token the update missed cannot be current now: refuse it all the same
        return why == Outcome.ROTATED ? Outcome.REUSED : why;
    }

    @Override
    public boolean revoke(String accountId, String sessionId, Instant now) {
        return jdbc.update("""
                UPDATE sign_in_sessions SET revoked_at = ?
                WHERE session_id = ? AND account_id = ? AND revoked_at IS NULL AND expires_at > ?""",
                at(now), sessionId, accountId, at(now)) > 0;
    }

    @Override
    public int revokeAll(String accountId, Instant now) {
        return jdbc.update("""
                UPDATE sign_in_sessions SET revoked_at = ?
                WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?""", at(now), accountId, at(now));
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }
}
