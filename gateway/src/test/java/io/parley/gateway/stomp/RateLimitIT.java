package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A flood of sends from one account is cut at its burst and rate (chat.limits.*), the session kept. */
class RateLimitIT extends IntegrationTest {

    @Test
    void aFloodIsRefusedWithRateLimitedAcksAndThenA429() {
        User ann = api.signUp("rla");
        User ben = api.signUp("rlb");
        String cid = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", ben.id()), ann.accessToken())
                .json().get("id").asText();
        int flood = 300;
        try (StompTestClient client = StompTestClient.connect(port, ann.accessToken())) {
            for (int i = 0; i < flood; i++) {
                client.send("/app/messages.send", Map.of("conversationId", cid,
                        "clientMessageId", UUID.randomUUID().toString(), "text", "flood " + i));
            }
            List<JsonNode> acks = client.take("acks", flood, Duration.ofSeconds(60));
            long limited = acks.stream().filter(a -> a.has("error")
                    && a.get("error").get("type").asText().endsWith("rate-limited")).count();
            long stored = acks.stream().filter(a -> a.has("seq")).count();
            assertThat(acks).hasSize(flood);
            assertThat(limited).as("refused beyond the burst").isPositive();
            assertThat(stored).as("the burst (100) is stored").isGreaterThanOrEqualTo(100);
            assertThat(stored + limited).isEqualTo(flood);
            assertThat(client.isConnected()).isTrue();

            Response rest = api.post("/api/conversations/" + cid + "/messages",
                    Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "and by REST"), ann.accessToken());
            if (rest.status() == 429) {
                assertThat(rest.isProblem()).isTrue();
                assertThat(rest.json().get("type").asText()).endsWith("/rate-limited");
                assertThat(rest.raw().headers().firstValue("Retry-After")).isPresent();
            } else {
                // the bucket refilled while the acks arrived: REST shares it, so a quick second flood is refused
                assertThat(rest.status()).isEqualTo(201);
            }
        }
        // another account is not affected
        Response other = api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "hi"), ben.accessToken());
        assertThat(other.status()).isEqualTo(201);
    }
}
