package io.parley.gateway.durability;

import io.parley.embedded.stack.EmbeddedStack;
import io.parley.gateway.app.GatewayApplication;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is lost: registrations run from several threads against the platform in its own process,
 * which is then killed with SIGKILL together with its PostgreSQL server (no shutdown, no flush); after a restart
 * on the same data directory every account that was answered 201 signs in and reads its profile.
 */
class KillNineIT extends IntegrationTest {

    @Autowired
    EmbeddedStack sharedStack;

    @Test
    void everyAnsweredRegistrationSurvivesKillMinusNine() throws Exception {
        Path dataDir = Path.of("target", "it-data", "kill9-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int httpPort = freePort();

        Process platform = launch(dataDir, httpPort);
        ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
        try {
            Api api = new Api(httpPort);
            awaitUp(api, platform);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(6);
            for (int t = 0; t < 6; t++) {
                writers.submit(() -> {
                    while (!stop.get()) {
                        String handle = Api.uniqueHandle("k9");
                        try {
                            Api.Response r = api.post("/api/accounts", Map.of("handle", handle,
                                    "displayName", "K " + handle, "password", Api.PASSWORD), null);
                            if (r.status() == 201) {
                                acknowledged.add(new String[]{r.json().get("id").asText(), handle});
                            }
                        } catch (RuntimeException connectionLost) {
                            return;
                        }
                    }
                });
            }
            while (acknowledged.size() < 40) {
                Thread.sleep(50);
            }
            // kill in the middle of the stream of writes: the JVM first, then the database server
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid")).get(0).strip());
            platform.destroyForcibly();
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
            stop.set(true);
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.SECONDS);
            platform.waitFor(30, TimeUnit.SECONDS);
        } finally {
            platform.destroyForcibly();
        }

        Process restarted = launch(dataDir, httpPort);
        try {
            Api api = new Api(httpPort);
            awaitUp(api, restarted);
            List<String> missing = new ArrayList<>();
            for (String[] account : acknowledged) {
                Api.Response token = api.post("/api/auth/token", Map.of("handle", account[1], "password", Api.PASSWORD), null);
                if (token.status() != 200) {
                    missing.add(account[1]);
                    continue;
                }
                Api.Response me = api.get("/api/me", token.json().get("accessToken").asText());
                if (me.status() != 200 || !account[0].equals(me.json().get("id").asText())) {
                    missing.add(account[1] + " (profile)");
                }
            }
            assertThat(missing).as("accounts answered 201 before kill -9 but gone after restart").isEmpty();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);
        } finally {
            restarted.destroy();
            if (!restarted.waitFor(60, TimeUnit.SECONDS)) {
                restarted.destroyForcibly();
            }
        }
    }

    private Process launch(Path dataDir, int httpPort) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName(),
                "--server.port=" + httpPort,
                "--chat.data-dir=" + dataDir,
                "--chat.search.url=" + sharedStack.elasticsearchUrl(),
                "--spring.jmx.enabled=false",
                "--logging.level.root=WARN");
        builder.redirectErrorStream(true);
        builder.redirectOutput(dataDir.resolve("platform-" + System.nanoTime() + ".log").toFile());
        return builder.start();
    }

    private static void awaitUp(Api api, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("platform process exited during start-up").isTrue();
            try {
                if (api.get("/actuator/health", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("platform did not become healthy in 4 minutes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
