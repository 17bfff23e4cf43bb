package io.parley.embedded.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One node at a time runs its start-up against a shared PostgreSQL (README, "Several nodes"): the parts create
 * their tables at start ({@code CREATE TABLE IF NOT EXISTS}, {@code ADD COLUMN IF NOT EXISTS}), and two nodes
 * doing that at the same moment on empty databases collide in PostgreSQL's catalog (a unique violation on
 * {@code pg_type_typname_nsp_index}: {@code IF NOT EXISTS} is not atomic across sessions). A session-level
 * advisory lock, taken before any bean is created and held until the application is ready (or its start failed
 * and the context is closed), turns a concurrent first start into one after the other; nodes whose start finds
 * every table in place only wait for each other's start, not for their traffic.
 */
final class StartupLock implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StartupLock.class);

    /** The advisory lock's key: {@code hashtext('parley-startup')} would do as well; a constant needs no query. */
    static final long KEY = 0x7061726c6579L; // "parley"

    private Connection connection;

    private StartupLock(Connection connection) {
        this.connection = connection;
    }

    /** Blocks until no other node of this database is starting. */
    static StartupLock acquire(String jdbcUrl, String username, String password) {
        try {
            Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
            long started = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + KEY + ")");
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            if (waitedMs > 1_000) {
                log.info("Waited {} ms for another node's start-up on the same PostgreSQL", waitedMs);
            }
            return new StartupLock(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the start-up lock on " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        release();
    }

    @Override
    public void destroy() {
        release();
    }

    /** Closing the session releases its advisory locks. */
    synchronized void release() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the start-up lock's session failed (PostgreSQL releases the lock with it): {}", e.toString());
        }
        connection = null;
    }

    synchronized boolean held() {
        return connection != null;
    }
}
