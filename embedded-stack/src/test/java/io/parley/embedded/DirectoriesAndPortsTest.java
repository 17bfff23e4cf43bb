package io.parley.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DirectoriesAndPortsTest {

    @Test
    void aTakenPortIsReportedClearly() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThatThrownBy(() -> LoopbackPorts.choose(s.getLocalPort(), "chat.postgres.port"))
                    .isInstanceOf(EmbeddedStackException.class)
                    .hasMessageContaining("chat.postgres.port").hasMessageContaining("already in use");
        }
        assertThat(LoopbackPorts.choose(0, "x")).isPositive();
    }

    @Test
    void anUnusableDataDirectoryIsReportedClearly() throws Exception {
        Path file = TestDirs.create("unit").resolve("a-file");
        Files.writeString(file, "not a directory");
        assertThatThrownBy(() -> Directories.ensureWritable(file.resolve("data"), "chat.data-dir"))
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("Cannot create the chat.data-dir directory");
    }
}
