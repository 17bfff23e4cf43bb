package io.parley.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A short command run as ourselves ({@code id}, {@code useradd}, {@code chown}, {@code kill}), bounded by a
 * timeout, its output captured. Failures are answered, not thrown: the callers decide which exit codes matter.
 */
public final class ShortCommand {

    /** Exit code and combined stdout/stderr; exit code -1 when the command could not run or timed out. */
    public record Result(int exitCode, String output) {
    }

    private ShortCommand() {
    }

    public static Result run(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
