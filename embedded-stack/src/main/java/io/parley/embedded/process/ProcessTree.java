package io.parley.embedded.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.parley.embedded.Elapsed;
import io.parley.embedded.ShortCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a process with its descendants: the graceful signal first, SIGKILL for whatever is left after the
 * timeout. Also finds and stops the orphan a previous run left behind (the JVM died without stopping it).
 */
public final class ProcessTree {

    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

    private ProcessTree() {
    }

    public static void signal(long pid, Signal signal) {
        if (signal == Signal.TERM) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } else if (signal == Signal.KILL) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } else {
            ShortCommand.run(Duration.ofSeconds(5), "kill", "-" + signal.name(), Long.toString(pid));
        }
    }

    /**
     * If the pid file names a live process whose command line contains {@code marker}, stops it (with its
     * descendants) and returns true. A stale pid file (dead process or pid reused by something else) is left
     * to the caller. Our choice for orphans is to stop them, not to reuse them: the port and settings of a
     * new start may differ, and a clean restart is fast.
     */
    public static boolean stopOrphan(Path pidFile, String marker, Signal signal, Duration timeout, String name) {
        Optional<Long> pid = LinuxProcesses.readPid(pidFile);
        if (pid.isEmpty() || pid.get() == ProcessHandle.current().pid() || !LinuxProcesses.isAlive(pid.get())) {
            return false;
        }
        String cmdline = LinuxProcesses.commandLine(pid.get());
        if (!cmdline.contains(marker)) {
            log.info("Pid file {} names pid {} which is not our {} ({}); ignoring it", pidFile, pid.get(), name, cmdline);
            return false;
        }
        log.warn("Found an orphaned {} (pid {}) from a previous run (pid file {}): stopping it", name, pid.get(), pidFile);
        stop(pid.get(), signal, timeout, name);
        return true;
    }

    /** Sends {@code signal} to {@code pid}; waits for it and its descendants; SIGKILLs whatever is left. */
    public static void stop(long pid, Signal signal, Duration timeout, String name) {
        List<Long> tree = new ArrayList<>();
        tree.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        if (tree.stream().noneMatch(LinuxProcesses::isAlive)) {
            return;
        }
        long t0 = System.nanoTime();
        signal(pid, signal);
        if (!waitAllDead(tree, timeout)) {
            log.warn("{} (pid {}) did not stop within {} s after SIG{}: sending SIGKILL", name, pid,
                    timeout.toSeconds(), signal);
            for (long p : tree) {
                if (LinuxProcesses.isAlive(p)) {
                    signal(p, Signal.KILL);
                }
            }
            if (!waitAllDead(tree, Duration.ofSeconds(10))) {
                log.error("{} (pid {}) survived SIGKILL", name, pid);
                return;
            }
        }
        log.info("{} (pid {}) stopped in {}", name, pid, Elapsed.since(t0));
    }

    private static boolean waitAllDead(List<Long> pids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pids.stream().anyMatch(LinuxProcesses::isAlive)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
