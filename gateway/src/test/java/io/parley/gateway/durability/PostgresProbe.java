package io.parley.gateway.durability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Tries PostgreSQL's port directly, every 100 ms, until it accepts a connection again. */
final class PostgresProbe {
    private final int port;
    private volatile long lastRefused;
    private volatile long accepted;
    private final Thread thread;

    private PostgresProbe(int port) {
        this.port = port;
        this.thread = new Thread(this::run, "postgres-probe");
        this.thread.setDaemon(true);
    }

    static PostgresProbe start(int port) {
        PostgresProbe probe = new PostgresProbe(port);
        probe.thread.start();
        return probe;
    }

    private void run() {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "1");
        while (accepted == 0) {
            long attempt = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
                c.createStatement().execute("SELECT 1");
                accepted = System.nanoTime();
            } catch (Exception refused) {
                lastRefused = attempt;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    void awaitAccepting(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        assertThat(accepted).as("PostgreSQL accepts connections again").isPositive();
    }

    /** When it was last seen refusing (the start of that attempt): PostgreSQL was down all along before. */
    long lastRefusedNanos() {
        return lastRefused;
    }
}
