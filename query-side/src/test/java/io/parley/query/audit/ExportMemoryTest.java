package io.parley.query.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export in constant memory: 50,000 events of 8 KB (over 400 MB of NDJSON) through a JVM limited to a 32 MB
 * heap ({@link ExportInSmallHeap}). Holding the lines, the entries or the rows would exhaust that heap ten times over.
 */
class ExportMemoryTest {

    @Test
    void exportsTenTimesItsHeapWithoutRunningOut() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx32m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), ExportInSmallHeap.class.getName(), "50000", "8192"))
                .redirectErrorStream(true).start();
        boolean exited = process.waitFor(3, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("lines=50000");
        long bytes = Long.parseLong(output.replaceAll("(?s).*bytes=(\\d+).*", "$1"));
        assertThat(bytes).as(output).isGreaterThan(10L * 32 * 1024 * 1024);
    }
}
