package io.parley.embedded.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.parley.embedded.Elapsed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one embedded child on a thread of its own and restarts it when it dies while the application runs:
 * the process is checked every {@code checkInterval} (alive and not a zombie, so a daemonized node that was not
 * our child is seen too); after an unexpected exit the child's own {@code start()} runs again on the same data
 * directory and port, first after {@code initialBackoff}, the wait doubling after each failed attempt up to
 * {@code maxBackoff}. A child that dies again soon after a restart keeps the grown wait (no tight crash loop);
 * one that stayed up for {@link #STABLE} starts from {@code initialBackoff} again. Nothing is restarted once
 * {@link #close()} was called (the application is stopping). A thread per child, so a slow Elasticsearch
 * restart never delays PostgreSQL's.
 */
final class SupervisedChild implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SupervisedChild.class);

    /** How long a restarted child must stay up before its backoff starts over. */
    static final Duration STABLE = Duration.ofSeconds(60);

    /** What the supervisor knows of the child. */
    enum State { RUNNING, RESTARTING, STOPPED }

    private final String part;
    private final BooleanSupplier alive;
    private final LongSupplier pid;
    private final Runnable start;
    private final Supplier<String> logTail;
    private final ChatStackProperties.Supervision settings;
    private final AtomicLong crashes = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile State state = State.RUNNING;
    private volatile Instant lastCrash;
    private volatile boolean closed;
    private volatile Thread watchdog;

    /**
     * @param part    the name in logs, health and metrics ({@code postgres}, {@code elasticsearch})
     * @param alive   whether the child's process is alive
     * @param pid     the child's pid (-1 when not running)
     * @param start   starts the child, blocking until it is ready; throws when it could not
     * @param logTail the last lines of the child's log, logged with a crash
     */
    SupervisedChild(String part, BooleanSupplier alive, LongSupplier pid, Runnable start, Supplier<String> logTail,
                    ChatStackProperties.Supervision settings) {
        this.part = part;
        this.alive = alive;
        this.pid = pid;
        this.start = start;
        this.logTail = logTail;
        this.settings = settings;
    }

    /** Begins watching (the child was just started and is ready). */
    synchronized void watch() {
        if (closed || watchdog != null || !settings.enabled()) {
            return;
        }
        Thread t = new Thread(this::run, "parley-supervise-" + part);
        t.setDaemon(true);
        watchdog = t;
        t.start();
    }

    String part() {
        return part;
    }

    State state() {
        return closed ? State.STOPPED : state;
    }

    long pid() {
        return pid.getAsLong();
    }

    /** Unexpected exits noticed. */
    long crashes() {
        return crashes.get();
    }

    /** Successful restarts after a crash. */
    long restarts() {
        return restarts.get();
    }

    Instant lastCrash() {
        return lastCrash;
    }

    private void run() {
        Duration backoff = settings.initialBackoff();
        long upSince = System.nanoTime();
        while (!closed) {
            if (!pause(settings.checkInterval())) {
                return;
            }
            if (alive.getAsBoolean()) {
                if (System.nanoTime() - upSince > STABLE.toNanos()) {
                    backoff = settings.initialBackoff();
                }
                continue;
            }
            if (closed) {
                return;
            }
            state = State.RESTARTING;
            lastCrash = Instant.now();
            long n = crashes.incrementAndGet();
            log.error("{} died while the application runs (unexpected exit #{}): restarting it on the same data "
                    + "directory and port in {} ms; last lines of its log:\n{}", part, n, backoff.toMillis(),
                    logTail.get());
            while (!closed) {
                if (!pause(backoff)) {
                    return;
                }
                long t0 = System.nanoTime();
                try {
                    start.run();
                    if (closed) {
                        return;
                    }
                    restarts.incrementAndGet();
                    state = State.RUNNING;
                    upSince = System.nanoTime();
                    log.warn("{} restarted in {} (pid {}, restart #{})", part, Elapsed.since(t0), pid(), restarts.get());
                    break;
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    log.error("{} restart failed: {}; next attempt in {} ms", part, e.getMessage(),
                            Math.min(backoff.toMillis() * 2, settings.maxBackoff().toMillis()));
                } finally {
                    backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sleeps; false when woken because the supervisor is closing. */
    private boolean pause(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops watching: no restart from now on; interrupts a restart under way. */
    @Override
    public void close() {
        closed = true;
        Thread t = watchdog;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Waits (bounded) for the watchdog to end, so no restart it began can outlive the stop. */
    void awaitClosed(Duration timeout) {
        Thread t = watchdog;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean watching() {
        Thread t = watchdog;
        return t != null && t.isAlive();
    }
}
