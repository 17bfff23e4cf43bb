package io.parley.gateway.support;

import io.parley.gateway.app.GatewayApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The platform in a process of its own (the test JVM's classpath, application.yml defaults, no test profile), for
 * tests that kill it or its children: {@link #kill()} is a SIGKILL with no shutdown and no flush. Its output goes
 * to {@code platform-<n>.log} in its data directory.
 */
public final class PlatformProcess implements AutoCloseable {

    private final Process process;
    private final Api api;
    private final Path dataDir;

    private PlatformProcess(Process process, int httpPort, Path dataDir) {
        this.process = process;
        this.api = new Api(httpPort);
        this.dataDir = dataDir;
    }

    /** A fresh data directory under target/ (readable by the unprivileged user the children run as). */
    public static Path newDataDir(String prefix) {
        Path dir = Path.of("target", "it-data", prefix + "-" + UUID.randomUUID()).toAbsolutePath();
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Starts the platform on {@code httpPort} with its data in {@code dataDir}; {@code args} are more {@code --key=value}s. */
    public static PlatformProcess launch(Path dataDir, int httpPort, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName(),
                "--server.port=" + httpPort,
                "--chat.data-dir=" + dataDir,
                "--spring.jmx.enabled=false",
                "--logging.level.root=WARN"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        builder.redirectOutput(dataDir.resolve("platform-" + System.nanoTime() + ".log").toFile());
        try {
            return new PlatformProcess(builder.start(), httpPort, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Api api() {
        return api;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Process process() {
        return process;
    }

    /** Waits until {@code /actuator/health} answers 200 (every part UP); fails if the process exits first. */
    public PlatformProcess awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("platform process exited during start-up (log in " + dataDir + ")");
            }
            try {
                if (api.get("/actuator/health", null).status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("platform did not become healthy in " + timeout.toSeconds() + " s (log in "
                + dataDir + ")");
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed; the children it started keep running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (graceful shutdown, children stopped), SIGKILL after 60 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
