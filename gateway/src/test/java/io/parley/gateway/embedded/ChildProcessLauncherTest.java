package io.parley.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ChildProcessLauncherTest {

    @Test
    void aTakenPortIsReportedClearly() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThatThrownBy(() -> ChildProcessLauncher.choosePort(s.getLocalPort(), "chat.postgres.port"))
                    .isInstanceOf(EmbeddedStackException.class)
                    .hasMessageContaining("chat.postgres.port").hasMessageContaining("already in use");
        }
        assertThat(ChildProcessLauncher.choosePort(0, "x")).isPositive();
    }

    @Test
    void anUnusableDataDirectoryIsReportedClearly() throws Exception {
        Path file = TestDirs.create("unit").resolve("a-file");
        Files.writeString(file, "not a directory");
        assertThatThrownBy(() -> ChildProcessLauncher.ensureWritableDirectory(file.resolve("data"), "chat.data-dir"))
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("Cannot create the chat.data-dir directory");
    }

    @Test
    void stopsAProcessTreeAndEscalatesToSigkill() throws Exception {
        // a shell that ignores SIGTERM, with a child
        Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 60 & wait").start();
        Thread.sleep(200);
        long child = p.toHandle().descendants().findFirst().orElseThrow().pid();
        long t0 = System.nanoTime();
        ChildProcessLauncher.stopTree(p.pid(), ChildProcessLauncher.Signal.TERM, Duration.ofMillis(500), "test");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        p.waitFor();
        assertThat(ChildProcessLauncher.isAlive(p.pid())).isFalse();
        assertThat(ChildProcessLauncher.isAlive(child)).isFalse();
    }

    @Test
    void anOrphanIsOnlyStoppedWhenItsCommandLineMatches() throws Exception {
        Path dir = TestDirs.create("unit");
        Process p = new ProcessBuilder("sleep", "61").start();
        Path pidFile = dir.resolve("x.pid");
        Files.writeString(pidFile, p.pid() + "\n");
        assertThat(ChildProcessLauncher.stopOrphan(pidFile, "something-else", ChildProcessLauncher.Signal.TERM,
                Duration.ofSeconds(2), "test")).isFalse();
        assertThat(p.isAlive()).isTrue();
        assertThat(ChildProcessLauncher.stopOrphan(pidFile, "sleep 61", ChildProcessLauncher.Signal.TERM,
                Duration.ofSeconds(2), "test")).isTrue();
        p.waitFor();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void propertiesBindWithDefaultsAndIgnoreOtherChatGroups() {
        ChatStackProperties props = new Binder(new MapConfigurationPropertySource(java.util.Map.of(
                "chat.data-dir", "/tmp/x",
                "chat.search.heap", "256m",
                "chat.search.start-timeout", "2m",
                "chat.security.jwt-secret", "other people's group")))
                .bind("chat", ChatStackProperties.class).get();
        assertThat(props.getDataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(props.getSearch().getHeap()).isEqualTo("256m");
        assertThat(props.getSearch().getStartTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(props.getPostgres().getPoolSize()).isEqualTo(20);
        assertThat(props.getPostgres().getPort()).isZero();
        assertThat(props.getMongo().getDatabase()).isEqualTo("parley");
        ChatStackProperties defaults = new ChatStackProperties();
        assertThat(defaults.getDataDir()).isEqualTo(Path.of("./data"));
        assertThat(defaults.getSearch().getHeap()).isEqualTo("384m");
        assertThat(defaults.getSearch().getStartTimeout()).isEqualTo(Duration.ofSeconds(90));
    }
}
