package io.parley.gateway.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Projection faults (issue 15): an event a handler of {@code conversation-views} throws on, with U+0000 in its
 * payload, its metadata and the handler's exception message (longer than the cause column, too), is parked and
 * the processor goes on; the parked count shows in the metric, the health details and the admin list; retrying
 * once the cause is gone empties it.
 */
class DeadLetterIT extends IntegrationTest {

    private static final String PROCESSOR = "conversation-views";

    @Autowired
    EventStore eventStore;

    @AfterEach
    void heal() {
        PoisonedEventHandler.FAILING.set(false);
    }

    @Test
    void aFailingEventIsParkedTheProcessorGoesOnAndRetryEmptiesIt() {
        User admin = api.admin();
        User alice = api.signUp("dla");
        User bob = api.signUp("dlb");
        String cid = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()), alice.accessToken())
                .json().get("id").asText();

        // straight into the event store, as a stored event with NULs would be (the edge now refuses them)
        PoisonedEventHandler.FAILING.set(true);
        String poisonId = "poison-" + UUID.randomUUID();
        String text = "member a\u0000b \u0001\u001b[31m " + "x".repeat(2000);
        eventStore.publish(new GenericDomainEventMessage<>("Poison", poisonId, 0, new PoisonedEvent(text),
                MetaData.with("note", "nul \u0000 here")));

        // the processor goes on: a message sent after the poisoned event reaches history
        Response sent = api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", "after-poison", "text", "still flowing"), alice.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        JsonNode history = await(() -> {
            JsonNode messages = api.get("/api/conversations/" + cid + "/messages", bob.accessToken()).json().get("messages");
            return messages.size() == 1 ? messages : null;
        });
        assertThat(history.get(0).get("text").asText()).isEqualTo("still flowing");

        // the admin list shows the parked event with a sanitised cause
        JsonNode parked = processor(api.get("/api/admin/dead-letters", admin.accessToken()));
        JsonNode letter = letterOf(parked, poisonId);
        assertThat(letter).as(parked.toString()).isNotNull();
        assertThat(letter.get("eventType").asText()).isEqualTo(PoisonedEvent.class.getName());
        assertThat(letter.get("seq").asLong()).isZero();
        assertThat(letter.get("causeType").asText()).isEqualTo(IllegalStateException.class.getName());
        String cause = letter.get("causeMessage").asText();
        assertThat(cause).startsWith("cannot project member a\uFFFDb \uFFFD\uFFFD[31m xxx").doesNotContain("\u0000")
                .hasSize(1023);
        assertThat(letter.get("retries").asInt()).isZero();
        assertThat(letter.get("enqueuedAt").asText()).isNotBlank();
        assertThat(letter.get("lastTouched").asText()).isNotBlank();
        long count = parked.get("deadLetters").asLong();
        assertThat(count).isPositive();

        // the same count in the metric and the health details (status UP)
        Response metric = api.get("/actuator/metrics/parley.deadletters?tag=processor:" + PROCESSOR, admin.accessToken());
        assertThat(metric.status()).as(metric.body()).isEqualTo(200);
        assertThat(metric.json().get("measurements").get(0).get("value").asLong()).isEqualTo(count);
        JsonNode health = api.get("/actuator/health", admin.accessToken()).json().get("components").get("deadLetters");
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("details").get(PROCESSOR).asLong()).isEqualTo(count);

        // admins only; unknown processors are problems
        assertThat(api.get("/api/admin/dead-letters", alice.accessToken()).status()).isEqualTo(403);
        assertThat(api.post("/api/admin/dead-letters/" + PROCESSOR + "/retry", null, alice.accessToken()).status())
                .isEqualTo(403);
        Response unknown = api.post("/api/admin/dead-letters/no-such-processor/retry", null, admin.accessToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();
        assertThat(unknown.json().get("type").asText()).isEqualTo("https://parley.io/problems/unknown-processor");

        // a retry while the cause persists keeps it parked and counts the retry
        Response failedRetry = api.post("/api/admin/dead-letters/" + PROCESSOR + "/retry", null, admin.accessToken());
        assertThat(failedRetry.status()).as(failedRetry.body()).isEqualTo(200);
        assertThat(failedRetry.json().get("failed").asBoolean()).isTrue();
        JsonNode again = letterOf(processor(api.get("/api/admin/dead-letters", admin.accessToken())), poisonId);
        assertThat(again.get("retries").asInt()).isEqualTo(1);

        // the cause gone, a retry processes it and the queue no longer holds it
        PoisonedEventHandler.FAILING.set(false);
        Response retried = api.post("/api/admin/dead-letters/" + PROCESSOR + "/retry", null, admin.accessToken());
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("processed").asLong()).isPositive();
        JsonNode after = processor(api.get("/api/admin/dead-letters", admin.accessToken()));
        assertThat(letterOf(after, poisonId)).isNull();
        // other tests of this JVM may have parked events of their own: compare, never expect zero
        long left = after.get("deadLetters").asLong();
        assertThat(left).isLessThan(count).isEqualTo(retried.json().get("remaining").asLong());
        Response metricAfter = api.get("/actuator/metrics/parley.deadletters?tag=processor:" + PROCESSOR, admin.accessToken());
        assertThat(metricAfter.json().get("measurements").get(0).get("value").asLong()).isEqualTo(left);
    }

    private static JsonNode processor(Response listing) {
        assertThat(listing.status()).as(listing.body()).isEqualTo(200);
        for (JsonNode p : listing.json().get("processors")) {
            if (p.get("processor").asText().equals(PROCESSOR)) {
                return p;
            }
        }
        throw new AssertionError("no " + PROCESSOR + " in " + listing.body());
    }

    private static JsonNode letterOf(JsonNode processor, String aggregateId) {
        for (JsonNode sequence : processor.get("listed")) {
            for (JsonNode letter : sequence) {
                if (aggregateId.equals(letter.path("aggregateId").asText(null))) {
                    return letter;
                }
            }
        }
        return null;
    }

    private static <T> T await(Supplier<T> probe) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within 15 s");
    }
}
