package io.parley.embedded.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.parley.embedded.TestDirs;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {

    @Test
    void stopsAProcessTreeAndEscalatesToSigkill() throws Exception {
        // a shell that ignores SIGTERM, with a child
        Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 60 & wait").start();
        Thread.sleep(200);
        long child = p.toHandle().descendants().findFirst().orElseThrow().pid();
        long t0 = System.nanoTime();
        ProcessTree.stop(p.pid(), Signal.TERM, Duration.ofMillis(500), "test");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        p.waitFor();
        assertThat(LinuxProcesses.isAlive(p.pid())).isFalse();
        assertThat(LinuxProcesses.isAlive(child)).isFalse();
    }

    @Test
    void anOrphanIsOnlyStoppedWhenItsCommandLineMatches() throws Exception {
        Path dir = TestDirs.create("unit");
        Process p = new ProcessBuilder("sleep", "61").start();
        Path pidFile = dir.resolve("x.pid");
        Files.writeString(pidFile, p.pid() + "\n");
        assertThat(ProcessTree.stopOrphan(pidFile, "something-else", Signal.TERM,
                Duration.ofSeconds(2), "test")).isFalse();
        assertThat(p.isAlive()).isTrue();
        assertThat(ProcessTree.stopOrphan(pidFile, "sleep 61", Signal.TERM,
                Duration.ofSeconds(2), "test")).isTrue();
        p.waitFor();
        assertThat(p.isAlive()).isFalse();
    }
}
