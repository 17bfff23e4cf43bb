package io.parley.gateway.security;

import java.time.Instant;

/**
 * Where {@link SignInThrottle} counts failed sign-ins: this node's memory ({@link MemoryFailureCounters}) or
 * PostgreSQL, shared by every node ({@link JdbcFailureCounters}, with {@code chat.limits.store=postgres}). A
 * counter untouched for {@code forget-after} starts again from zero.
 */
interface FailureCounters {

    /** Counts one failure under {@code key}; @return the failures counted, this one included */
    int fail(String key, Instant now);

    /** Makes {@code key} wait until {@code until} (a later failure may lengthen it). */
    void waitUntil(String key, Instant until);

    /** @return until when {@code key} waits, or null when it does not */
    Instant waitingUntil(String key, Instant now);

    /** Forgets {@code key}. */
    void clear(String key);
}
