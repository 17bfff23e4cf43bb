package io.parley.embedded.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.privilege.UnprivilegedUser;

/**
 * Starts the native children of the embedded stack (PostgreSQL, Elasticsearch) as the {@link UnprivilegedUser}
 * (through {@code setpriv} when the JVM runs as root), stdin from {@code /dev/null}, stdout and stderr appended to
 * the child's log file, its pid optionally written to a pid file so that a later run can find an orphan.
 */
public final class ChildProcessLauncher {

    private final UnprivilegedUser user;

    public ChildProcessLauncher() {
        this(new UnprivilegedUser());
    }

    public ChildProcessLauncher(UnprivilegedUser user) {
        this.user = user;
    }

    /** {@code chown -R} the given trees to the user the children run as (no-op when not root). */
    public void ownTrees(Path... trees) {
        user.ownTrees(trees);
    }

    /** Starts the child (dropping privileges when root), output appended to {@code spec.logFile()}. */
    public Child start(ChildSpec spec) {
        List<String> cmd = new ArrayList<>(user.commandPrefix());
        cmd.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(spec.workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        Map<String, String> env = pb.environment();
        spec.environment().forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        try {
            Files.createDirectories(spec.logFile().getParent());
            Files.writeString(spec.logFile(), "---- " + Instant.now() + " starting " + String.join(" ", cmd) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = pb.start();
            if (spec.pidFile() != null) {
                Files.writeString(spec.pidFile(), p.pid() + "\n");
            }
            return new Child(spec, p);
        } catch (IOException e) {
            throw new EmbeddedStackException("Could not start " + spec.name() + " (" + String.join(" ", cmd) + "): " + e, e);
        }
    }

    /** Runs a short command as the child identity (e.g. {@code initdb}), bounded, output to the log file. */
    public void runToCompletion(ChildSpec spec, Duration timeout) {
        Child c = start(spec);
        try {
            if (!c.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                c.stop(Signal.KILL, Duration.ofSeconds(5));
                throw new EmbeddedStackException(spec.name() + " did not finish within " + timeout
                        + "; last lines of " + spec.logFile() + ":\n" + LogTail.of(spec.logFile(), 30));
            }
            if (c.process().exitValue() != 0) {
                throw new EmbeddedStackException(spec.name() + " failed with exit code " + c.process().exitValue()
                        + "; last lines of " + spec.logFile() + ":\n" + LogTail.of(spec.logFile(), 30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.stop(Signal.KILL, Duration.ofSeconds(5));
            throw new EmbeddedStackException(spec.name() + " interrupted", e);
        } finally {
            c.deletePidFile();
        }
    }
}
