package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of sends from one account is cut at its burst and rate (chat.limits.*: 100 at once, 50/s), the
 * sessions kept. The bucket is taken when a send is handled, so the flood comes from several sessions and
 * conversations at once: one session's frames are handled one after the other, which on a loaded machine
 * can be slower than the refill.
 */
class RateLimitIT extends IntegrationTest {

    @Test
    void aFloodIsRefusedWithRateLimitedAcks() throws Exception {
        User ann = api.signUp("rla");
        int sessions = 8;
        int perSession = 60;
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            User peer = api.signUp("rlp" + i);
            chats.add(api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", peer.id()),
                    ann.accessToken()).json().get("id").asText());
        }
        List<StompTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                clients.add(StompTestClient.connect(port, ann.accessToken()));
            }
            for (int n = 0; n < perSession; n++) {
                for (int i = 0; i < sessions; i++) {
                    clients.get(i).send("/app/messages.send", Map.of("conversationId", chats.get(i),
                            "clientMessageId", UUID.randomUUID().toString(), "text", "flood " + n));
                }
            }
            long limited = 0;
            long stored = 0;
            for (StompTestClient client : clients) {
                List<JsonNode> acks = client.take("acks", perSession, Duration.ofSeconds(60));
                assertThat(acks).hasSize(perSession);
                limited += acks.stream().filter(a -> a.has("error")
                        && a.get("error").get("type").asText().endsWith("rate-limited")).count();
                stored += acks.stream().filter(a -> a.has("seq")).count();
                assertThat(client.isConnected()).isTrue();
            }
            assertThat(limited).as("refused beyond the burst and rate").isPositive();
            assertThat(stored).as("the burst (100) is stored").isGreaterThanOrEqualTo(100);
            assertThat(stored + limited).isEqualTo((long) sessions * perSession);
        } finally {
            clients.forEach(StompTestClient::close);
        }

        // another account is not affected
        User ben = api.signUp("rlb");
        String other = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", ann.id()), ben.accessToken())
                .json().get("id").asText();
        assertThat(api.post("/api/conversations/" + other + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "hi"), ben.accessToken()).status())
                .isEqualTo(201);
    }
}
