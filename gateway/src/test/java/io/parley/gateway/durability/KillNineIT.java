package io.parley.gateway.durability;

import io.parley.embedded.stack.EmbeddedStack;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.PlatformProcess;
import io.parley.gateway.support.StompTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is lost: registrations run from several threads, and a STOMP client sends messages, against
 * the platform in its own process, which is then killed with SIGKILL together with its PostgreSQL server (no
 * shutdown, no flush); after a restart on the same data directory every account that was answered 201 signs in and
 * reads its profile, and every message that was acked is in history exactly once, at its acked seq, with no gap.
 */
class KillNineIT extends IntegrationTest {

    @Autowired
    EmbeddedStack sharedStack;

    private final Map<String, Long> ackedMessages = new ConcurrentHashMap<>();
    private volatile String conversation;
    private volatile Api.User stompSender;

    @Test
    void everyAnsweredRegistrationAndAckedMessageSurvivesKillMinusNine() throws Exception {
        Path dataDir = PlatformProcess.newDataDir("kill9");
        int httpPort = PlatformProcess.freePort();

        PlatformProcess platform = launch(dataDir, httpPort);
        ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
        try {
            Api api = platform.api();
            platform.awaitUp(Duration.ofMinutes(4));
            AtomicBoolean stop = new AtomicBoolean();
            Api.User sender = api.signUp("k9s");
            Api.User peer = api.signUp("k9p");
            Api.Response opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", peer.id()),
                    sender.accessToken());
            assertThat(opened.status()).as(opened.body()).isIn(200, 201);
            conversation = opened.json().get("id").asText();
            stompSender = sender;
            StompTestClient client = StompTestClient.connect(httpPort, sender.accessToken());
            Thread messages = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String clientMessageId = "k9-" + i;
                    try {
                        client.send("/app/messages.send", Map.of("conversationId", conversation,
                                "clientMessageId", clientMessageId, "text", "kill nine " + i));
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                    JsonNode ack = client.next("acks", Duration.ofSeconds(5));
                    if (ack == null) {
                        return;
                    }
                    if (ack.has("seq") && clientMessageId.equals(ack.path("clientMessageId").asText())) {
                        ackedMessages.put(clientMessageId, ack.get("seq").asLong());
                    }
                }
            }, "k9-stomp-sender");
            messages.start();
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
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (acknowledged.size() < 40 || ackedMessages.size() < 20) {
                assertThat(System.nanoTime()).as("40 registrations and 20 acked messages within 3 min")
                        .isLessThan(deadline);
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

            Api.User signedIn = api.signIn(stompSender.id(), stompSender.handle(), stompSender.displayName(),
                    Api.PASSWORD);
            Map<String, Long> stored = new HashMap<>();
            List<Long> seqs = new ArrayList<>();
            long after = 0;
            boolean more = true;
            while (more) {
                Api.Response page = api.get("/api/conversations/" + conversation + "/messages?after=" + after
                        + "&limit=200", signedIn.accessToken());
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                for (JsonNode e : page.json().path("messages")) {
                    after = e.get("seq").asLong();
                    seqs.add(after);
                    assertThat(stored.put(e.path("clientMessageId").asText(), after)).as("stored once").isNull();
                }
                more = page.json().path("hasMore").asBoolean();
            }
            assertThat(seqs).as("gap-free").isEqualTo(java.util.stream.LongStream.rangeClosed(1, seqs.size())
                    .boxed().toList());
            // a message whose ack the kill cut off may be stored too; every acked one must be, at its seq
            assertThat(stored).as("messages acked before kill -9").containsAllEntriesOf(ackedMessages);
            assertThat(ackedMessages).hasSizeGreaterThanOrEqualTo(20);
        }
    }

    private PlatformProcess launch(Path dataDir, int httpPort) {
        return PlatformProcess.launch(dataDir, httpPort, "--chat.search.url=" + sharedStack.elasticsearchUrl());
    }
}
