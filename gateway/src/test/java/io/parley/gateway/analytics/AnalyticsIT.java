package io.parley.gateway.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.MessageType;
import io.parley.gateway.search.SearchEvents;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The analyst's figures equal those computed here from the very events the test publishes. Each test works in a
 * time window of its own (a random day in the 1990s), so the other tests' messages never fall into its range.
 */
class AnalyticsIT extends IntegrationTest {

    @Autowired
    EventGateway eventGateway;

    SearchEvents events;
    Instant day;

    @BeforeEach
    void setUp() {
        events = new SearchEvents(eventGateway);
        day = Instant.parse("1990-01-01T00:00:00Z").plus(ThreadLocalRandom.current().nextInt(3650), ChronoUnit.DAYS);
    }

    @Test
    void volumeActiveSendersTopConversationsAndMediaMixMatchTheEvents() {
        User analyst = analyst();
        List<String> senders = List.of(api.signUp("s").id(), api.signUp("s").id(), api.signUp("s").id());
        SearchEvents.Conversation busy = events.group(senders.get(0), senders.toArray(String[]::new));
        SearchEvents.Conversation quiet = events.group(senders.get(0), senders.get(0), senders.get(1));
        Random random = new Random(42);
        Map<Instant, Integer> perHour = new TreeMap<>();
        Map<Instant, Set<String>> sendersPerHour = new HashMap<>();
        Map<String, Integer> perType = new HashMap<>();
        long documentBytes = 0;
        int busyCount = 0;
        int quietCount = 0;
        for (int i = 0; i < 60; i++) {
            Instant at = day.plusSeconds(random.nextInt(3 * 3600));
            boolean toBusy = random.nextInt(3) > 0;
            SearchEvents.Conversation c = toBusy ? busy : quiet;
            String sender = toBusy ? senders.get(random.nextInt(3)) : senders.get(random.nextInt(2));
            MessageType type = MessageType.values()[random.nextInt(4)];
            if (type == MessageType.TEXT) {
                c.send(sender, "hello " + i, at);
            } else {
                long size = 1000L + i;
                c.sendMedia(sender, type, null, "file" + i, size, at);
                if (type == MessageType.DOCUMENT) {
                    documentBytes += size;
                }
            }
            Instant hour = at.truncatedTo(ChronoUnit.HOURS);
            perHour.merge(hour, 1, Integer::sum);
            sendersPerHour.computeIfAbsent(hour, h -> new HashSet<>()).add(sender);
            perType.merge(type.name(), 1, Integer::sum);
            if (toBusy) {
                busyCount++;
            } else {
                quietCount++;
            }
        }
        String range = "from=" + day + "&to=" + day.plus(Duration.ofHours(3));

        JsonNode volume = awaitJson(analyst, "/api/analytics/volume?" + range + "&interval=1h",
                v -> v.get("buckets").findValues("messages").stream().mapToLong(JsonNode::asLong).sum() == 60);
        assertThat(volume.get("from").asText()).isEqualTo(day.toString());
        assertThat(volume.get("to").asText()).isEqualTo(day.plus(Duration.ofHours(3)).toString());
        assertThat(volume.get("interval").asText()).isEqualTo("1h");
        assertThat(volume.get("lagMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(volume.get("buckets")).hasSize(3);
        for (JsonNode bucket : volume.get("buckets")) {
            Instant start = Instant.parse(bucket.get("start").asText());
            assertThat(bucket.get("messages").asInt()).as(start.toString()).isEqualTo(perHour.getOrDefault(start, 0));
            assertThat(bucket.get("activeSenders").asInt()).as(start.toString())
                    .isEqualTo(sendersPerHour.getOrDefault(start, Set.of()).size());
        }

        JsonNode top = get(analyst, "/api/analytics/conversations/top?" + range + "&limit=5");
        assertThat(top.get("conversations")).hasSize(2);
        JsonNode first = top.get("conversations").get(0);
        assertThat(first.get("conversationId").asText()).isEqualTo(busyCount >= quietCount ? busy.id : quiet.id);
        assertThat(first.get("messages").asInt()).isEqualTo(Math.max(busyCount, quietCount));
        assertThat(top.get("conversations").get(1).get("messages").asInt()).isEqualTo(Math.min(busyCount, quietCount));

        JsonNode mix = get(analyst, "/api/analytics/media-mix?" + range);
        assertThat(mix.get("messages").asInt()).isEqualTo(60);
        Map<String, Integer> reported = new HashMap<>();
        mix.get("types").forEach(t -> reported.put(t.get("type").asText(), t.get("messages").asInt()));
        assertThat(reported).isEqualTo(perType);
        long finalDocumentBytes = documentBytes;
        mix.get("types").forEach(t -> {
            if (t.get("type").asText().equals("DOCUMENT")) {
                assertThat(t.get("bytes").asLong()).isEqualTo(finalDocumentBytes);
            }
        });
    }

    @Test
    void receiptLatencyPercentilesMatchTheWatermarks() {
        User analyst = analyst();
        String alice = api.signUp("alice").id();
        String bob = api.signUp("bob").id();
        SearchEvents.Conversation c = events.group(alice, alice, bob);
        List<Long> delivered = new ArrayList<>();
        List<Long> read = new ArrayList<>();
        // 20 messages from alice; bob acknowledges each one on its own, delivered after i seconds, read after 10 i
        for (int i = 1; i <= 20; i++) {
            Instant sentAt = day.plusSeconds(60L * i);
            long seq = c.send(alice, "m" + i, sentAt);
            events.publish(new MessagesDelivered(c.id, bob, seq, sentAt.plusSeconds(i)),
                    new MessagesRead(c.id, bob, seq, sentAt.plusSeconds(10L * i)));
            delivered.add(1000L * i);
            read.add(10_000L * i);
        }
        // alice's own watermark passes her messages: it must change nothing
        events.publish(new MessagesRead(c.id, alice, 20, day.plusSeconds(5000)));
        // one message bob never acknowledges: no latency for it
        c.send(alice, "unanswered", day.plusSeconds(3000));

        String range = "from=" + day + "&to=" + day.plus(Duration.ofHours(1));
        JsonNode latency = awaitJson(analyst, "/api/analytics/receipt-latency?" + range,
                l -> l.path("readMs").path("count").asLong() == 20 && l.path("deliveredMs").path("count").asLong() == 20);
        for (String kind : List.of("deliveredMs", "readMs")) {
            List<Long> values = kind.equals("deliveredMs") ? delivered : read;
            JsonNode p = latency.get(kind);
            assertThat(p.get("p50").asDouble()).as(kind).isCloseTo(nearestRank(values, 50), within(nearestRank(values, 50) * 0.01));
            assertThat(p.get("p90").asDouble()).as(kind).isCloseTo(nearestRank(values, 90), within(nearestRank(values, 90) * 0.01));
            assertThat(p.get("p99").asDouble()).as(kind).isCloseTo(nearestRank(values, 99), within(nearestRank(values, 99) * 0.01));
        }
        assertThat(latency.get("from").asText()).isEqualTo(day.toString());
        assertThat(latency.has("lagMs")).isTrue();
    }

    @Test
    void everyAnalyticsEndpointIsForbiddenToNonAnalysts() {
        User user = api.signUp("plain");
        User admin = api.admin();
        for (String path : List.of("/api/analytics/volume", "/api/analytics/conversations/top",
                "/api/analytics/media-mix", "/api/analytics/receipt-latency")) {
            for (User caller : List.of(user, admin)) {
                Response response = api.get(path, caller.accessToken());
                assertThat(response.status()).as(path).isEqualTo(403);
                assertThat(response.isProblem()).as(path).isTrue();
            }
            assertThat(api.get(path, null).status()).isEqualTo(401);
        }
    }

    @Test
    void badParametersAre400Problems() {
        User analyst = analyst();
        for (String query : List.of("/api/analytics/volume?interval=fortnight", "/api/analytics/volume?from=nope",
                "/api/analytics/volume?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z&interval=1s",
                "/api/analytics/media-mix?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z",
                "/api/analytics/conversations/top?limit=0")) {
            Response response = api.get(query, analyst.accessToken());
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.isProblem()).as(query).isTrue();
        }
    }

    @Test
    void everyProcessorReportsItsLagInActuatorMetrics() {
        User admin = api.admin();
        Response lag = api.get("/actuator/metrics/parley.processor.lag", admin.accessToken());
        assertThat(lag.status()).as(lag.body()).isEqualTo(200);
        List<String> processors = new ArrayList<>();
        lag.json().get("availableTags").forEach(t -> {
            if (t.get("tag").asText().equals("processor")) {
                t.get("values").forEach(v -> processors.add(v.asText()));
            }
        });
        assertThat(processors).contains("message-search", "account-views");
        Response ms = api.get("/actuator/metrics/parley.processor.lag.time?tag=processor:message-search",
                admin.accessToken());
        assertThat(ms.status()).isEqualTo(200);
        assertThat(ms.json().get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(0);
    }

    /** Nearest-rank percentile, the definition the HDR method approximates (to 3 significant digits). */
    private static double nearestRank(List<Long> values, double percentile) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percentile / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private User analyst() {
        User admin = api.admin();
        User user = api.signUp("analyst");
        assertThat(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of("ANALYST")),
                admin.accessToken()).status()).isEqualTo(204);
        return api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
    }

    private JsonNode get(User user, String path) {
        Response response = api.get(path, user.accessToken());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode awaitJson(User user, String path, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode json;
        do {
            json = get(user, path);
            if (done.test(json)) {
                return json;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " never matched; last answer: " + json);
    }
}
