package io.parley.gateway.durability;

import io.parley.embedded.stack.EmbeddedStack;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.PlatformProcess;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        Path dataDir = PlatformProcess.newDataDir("kill9");
        int httpPort = PlatformProcess.freePort();

        PlatformProcess platform = launch(dataDir, httpPort);
        ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
        try {
            Api api = platform.api();
            platform.awaitUp(Duration.ofMinutes(4));
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
            platform.process().destroyForcibly();
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
            stop.set(true);
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.SECONDS);
        } finally {
            platform.kill();
        }

        try (PlatformProcess restarted = launch(dataDir, httpPort)) {
            Api api = restarted.api();
            restarted.awaitUp(Duration.ofMinutes(4));
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
        }
    }

    private PlatformProcess launch(Path dataDir, int httpPort) {
        return PlatformProcess.launch(dataDir, httpPort, "--chat.search.url=" + sharedStack.elasticsearchUrl());
    }
}
