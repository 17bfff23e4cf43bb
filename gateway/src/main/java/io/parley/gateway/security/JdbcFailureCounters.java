package io.parley.gateway.security;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failure counters in the write side's PostgreSQL, shared by every node, so an attacker spreading guesses over
 * the nodes behind a load balancer meets one counter. One upsert per failure (the count and its forgetting in one
 * statement, so concurrent failures on several nodes all count), one primary-key read per sign-in attempt and
 * key. {@code UNLOGGED} like the rate limit buckets: no disk flush per failure; a PostgreSQL crash forgets the
 * counters, as a restart of the memory store does. Rows untouched for {@code forget-after} are purged at start
 * and every 1,000 failures counted by this node.
 */
final class JdbcFailureCounters implements FailureCounters {

    static final String TABLE = "sign_in_failures";
    private static final int PURGE_EVERY = 1000;

    private final JdbcTemplate jdbc;
    private final Duration forgetAfter;
    private final AtomicInteger untilPurge = new AtomicInteger(PURGE_EVERY);

    JdbcFailureCounters(JdbcTemplate jdbc, SignInThrottleProperties properties) {
        this.jdbc = jdbc;
        this.forgetAfter = properties.forgetAfter();
        jdbc.execute("CREATE UNLOGGED TABLE IF NOT EXISTS " + TABLE + """
                 (
                    key        TEXT PRIMARY KEY,
                    failures   INTEGER NOT NULL,
                    wait_until TIMESTAMPTZ,
                    touched_at TIMESTAMPTZ NOT NULL
                )""");
        purge(Instant.now());
    }

    @Override
    public int fail(String key, Instant now) {
        if (untilPurge.decrementAndGet() <= 0) {
            untilPurge.set(PURGE_EVERY);
            purge(now);
        }
        Timestamp forgotten = at(now.minus(forgetAfter));
        Integer count = jdbc.queryForObject("INSERT INTO " + TABLE + " AS f (key, failures, touched_at) VALUES (?, 1, ?)"
                + " ON CONFLICT (key) DO UPDATE SET"
                + " failures = CASE WHEN f.touched_at < ? THEN 1 ELSE f.failures + 1 END,"
                + " wait_until = CASE WHEN f.touched_at < ? THEN NULL ELSE f.wait_until END,"
                + " touched_at = EXCLUDED.touched_at RETURNING failures",
                Integer.class, key, at(now), forgotten, forgotten);
        return count == null ? 1 : count;
    }

    @Override
    public void waitUntil(String key, Instant until) {
        // never shortens a wait another node set meanwhile for a later failure
        jdbc.update("UPDATE " + TABLE + " SET wait_until = GREATEST(wait_until, ?) WHERE key = ?", at(until), key);
    }

    @Override
    public Instant waitingUntil(String key, Instant now) {
        return jdbc.query("SELECT wait_until FROM " + TABLE + " WHERE key = ? AND touched_at >= ?",
                (rs, i) -> rs.getTimestamp(1), key, at(now.minus(forgetAfter))).stream()
                .filter(t -> t != null).map(Timestamp::toInstant).findFirst().orElse(null);
    }

    @Override
    public void clear(String key) {
        jdbc.update("DELETE FROM " + TABLE + " WHERE key = ?", key);
    }

    private void purge(Instant now) {
        jdbc.update("DELETE FROM " + TABLE + " WHERE touched_at < ?", at(now.minus(forgetAfter)));
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }
}
