package io.parley.embedded.process;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.parley.embedded.EmbeddedStackException;

/** A started child: waits (bounded) for it to become ready, stops it with its process tree. */
public final class Child {

    private final ChildSpec spec;
    private final Process process;

    Child(ChildSpec spec, Process process) {
        this.spec = spec;
        this.process = process;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public ChildSpec spec() {
        return spec;
    }

    /**
     * Waits until {@code ready} answers true, bounded by {@code timeout}; fails fast (with the log tail)
     * when the child exits first (unless {@code zeroExitIsOk} and it exited 0, e.g. a daemonizing launcher).
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout, boolean zeroExitIsOk) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive() && !(zeroExitIsOk && process.exitValue() == 0)) {
                throw new EmbeddedStackException(spec.name() + " exited with code " + process.exitValue()
                        + " while starting; last lines of " + spec.logFile() + ":\n" + LogTail.of(spec.logFile(), 40));
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedStackException(spec.name() + " did not become ready within " + timeout.toSeconds()
                        + " s; last lines of " + spec.logFile() + ":\n" + LogTail.of(spec.logFile(), 40));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedStackException("Interrupted while waiting for " + spec.name(), e);
            }
        }
    }

    /** Graceful stop of the process tree: {@code signal}, wait up to {@code timeout}, then SIGKILL. */
    public void stop(Signal signal, Duration timeout) {
        ProcessTree.stop(process.pid(), signal, timeout, spec.name());
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deletePidFile();
    }

    void deletePidFile() {
        if (spec.pidFile() != null) {
            try {
                Files.deleteIfExists(spec.pidFile());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
