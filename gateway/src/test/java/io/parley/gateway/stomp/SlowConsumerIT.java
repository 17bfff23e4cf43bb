package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.PausedStompClient;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that stop reading their sockets slow no one else (issue 15, "Slow consumers"). More members of one
 * group than there are outbound threads stop reading while its admin sends large messages: once their buffers
 * are full, each paused session holds a socket write until the send time limit (test profile: 3 s) or its
 * buffered frames pass the size limit, and is then closed. Meanwhile a bystander pair's round trips stay short,
 * and the sender's own healthy session keeps every ack. (Before the fix, eight paused sessions held all eight
 * outbound threads and live delivery stopped for everyone until the container's 20 s write timeout.)
 */
class SlowConsumerIT extends IntegrationTest {

    private static final int PAUSED = 12;
    private static final int SENDS = 150;

    @Test
    void pausedClientsAreCutOffWithoutDelayingAnyoneElse() throws Exception {
        User admin = api.signUp("slowa");
        List<User> members = new ArrayList<>();
        for (int i = 0; i < PAUSED; i++) {
            members.add(api.signUp("slowm" + i));
        }
        var created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Slow",
                "memberIds", members.stream().map(User::id).toList()), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String group = created.json().get("id").asText();
        User left = api.signUp("slowb");
        User right = api.signUp("slowc");
        String direct = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", right.id()),
                left.accessToken()).json().get("id").asText();

        List<PausedStompClient> paused = new ArrayList<>();
        try (StompTestClient sender = StompTestClient.connect(port, admin.accessToken());
             StompTestClient probe = StompTestClient.connect(port, left.accessToken());
             StompTestClient echo = StompTestClient.connect(port, right.accessToken())) {
            for (User member : members) {
                paused.add(PausedStompClient.connect(port, member.accessToken()));
            }

            // about 40 KB a frame: 150 of them are 6 MB per paused session, past the kernel's socket buffers
            char[] filler = new char[40_000];
            Arrays.fill(filler, 'x');
            String big = new String(filler);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                for (int n = 0; n < SENDS; n++) {
                    sender.send("/app/messages.send", Map.of("conversationId", group,
                            "clientMessageId", UUID.randomUUID().toString(), "text", n + " " + big));
                    sleep(15);
                }
            });

            List<Long> roundTrips = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int probes = 0;
            while (System.nanoTime() < until) {
                String text = "probe " + probes++;
                long sent = System.nanoTime();
                probe.send("/app/messages.send", Map.of("conversationId", direct,
                        "clientMessageId", UUID.randomUUID().toString(), "text", text));
                JsonNode got = awaitText(echo, text, Duration.ofSeconds(30));
                assertThat(got).as("probe %s reached the bystander", text).isNotNull();
                roundTrips.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                sleep(100);
            }
            flood.get(60, TimeUnit.SECONDS);

            List<JsonNode> acks = sender.take("acks", SENDS, Duration.ofSeconds(60));
            assertThat(acks).hasSize(SENDS);
            assertThat(acks).allMatch(a -> a.has("seq"), "every large send stored and acked");
            assertThat(sender.isConnected()).as("the sender's healthy session is kept").isTrue();

            long worst = roundTrips.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(worst).as("slowest bystander round trip (ms) of %s: %s", roundTrips.size(), roundTrips)
                    .isLessThan(2_500);
            for (PausedStompClient client : paused) {
                assertThat(client.readUntilClosed(Duration.ofSeconds(20)))
                        .as("a paused session is closed by the server").isTrue();
            }
            assertThat(probe.isConnected()).isTrue();
            assertThat(echo.isConnected()).isTrue();
        } finally {
            paused.forEach(PausedStompClient::close);
        }
    }

    private static JsonNode awaitText(StompTestClient client, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = client.nextMessage(Duration.ofMillis(Math.max(1,
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            if (frame != null && frame.has("text") && text.equals(frame.get("text").asText())) {
                return frame;
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
