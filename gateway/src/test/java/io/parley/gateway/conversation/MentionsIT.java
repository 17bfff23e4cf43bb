package io.parley.gateway.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mentions end to end (README, API): sends over REST and STOMP carry them, the aggregate checks them, the ack,
 * the live frame, history, sync and search show them; and a revision-1 MessageSent stored before mentions
 * existed reads back through the upcaster with none.
 */
class MentionsIT extends IntegrationTest {
    private static final String TYPES = "https://parley.io/problems/";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;
    @Autowired
    EventSchema schema;
    @Autowired
    EventStorageEngine storageEngine;
    @Autowired
    org.axonframework.config.Configuration axon;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    private String group(User admin, User... others) {
        List<String> ids = new ArrayList<>();
        for (User other : others) {
            ids.add(other.id());
        }
        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Mentions",
                "memberIds", ids), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private Response send(User from, String cid, String clientMessageId, String text, List<String> mentions) {
        return api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", clientMessageId, "text", text, "mentions", mentions), from.accessToken());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private JsonNode history(User user, String cid) {
        Response page = api.get("/api/conversations/" + cid + "/messages?after=0", user.accessToken());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.json().get("messages");
    }

    @Test
    void restSendsCarryMentionsIntoTheAnswerHistoryAndSyncAndRefuseNonMembers() {
        User ann = api.signUp("menann");
        User bob = api.signUp("menbob");
        User cid = api.signUp("mencid");
        User eve = api.signUp("meneve");
        String gid = group(ann, bob, cid);

        Response toBob = send(ann, gid, "m1", "@bob look", List.of(bob.id()));
        assertThat(toBob.status()).as(toBob.body()).isEqualTo(201);
        assertThat(texts(toBob.json().get("mentions"))).containsExactly(bob.id());
        Response toAll = send(bob, gid, "m2", "@all lunch?", List.of("@all"));
        assertThat(toAll.status()).as(toAll.body()).isEqualTo(201);
        assertThat(texts(toAll.json().get("mentions"))).as("every member but the sender")
                .containsExactly(ann.id(), cid.id());
        Response plain = api.post("/api/conversations/" + gid + "/messages",
                Map.of("clientMessageId", "m3", "text", "no one"), ann.accessToken());
        assertThat(plain.status()).isEqualTo(201);

        Response outsider = send(ann, gid, "m4", "@eve?", List.of(bob.id(), eve.id()));
        assertThat(outsider.status()).isEqualTo(400);
        assertThat(outsider.isProblem()).isTrue();
        assertThat(outsider.json().get("type").asText()).isEqualTo(TYPES + "mention-not-a-member");
        Response malformed = send(ann, gid, "m5", "@?", List.of(bob.id().toUpperCase()));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("type").asText()).isEqualTo(TYPES + "invalid-account-id");

        JsonNode history = history(cid, gid);
        assertThat(history).hasSize(3);
        assertThat(texts(history.get(0).get("mentions"))).containsExactly(bob.id());
        assertThat(texts(history.get(1).get("mentions"))).containsExactly(ann.id(), cid.id());
        assertThat(history.get(2).get("mentions").isArray()).isTrue();
        assertThat(history.get(2).get("mentions")).isEmpty();

        Response sync = api.get("/api/sync?since=" + gid + ":1", cid.accessToken());
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        JsonNode synced = ConversationRestIT.find(sync.json().get("conversations"), gid);
        assertThat(texts(synced.get("entries").get(0).get("mentions"))).containsExactly(ann.id(), cid.id());
    }

    @Test
    void stompSendsCarryMentionsInTheAckAndTheLiveFrameAndErrorsInTheAck() {
        User ann = api.signUp("stmann");
        User bob = api.signUp("stmbob");
        User eve = api.signUp("stmeve");
        try (StompTestClient ca = StompTestClient.connect(port, ann.accessToken());
             StompTestClient cb = StompTestClient.connect(port, bob.accessToken())) {
            String gid = group(ann, bob);
            assertThat(cb.next("messages").get("action").asText()).isEqualTo("CREATED");

            ca.send("/app/messages.send", Map.of("conversationId", gid, "clientMessageId", "s1",
                    "text", "@all hi", "mentions", List.of("@all")));
            JsonNode ack = ca.next("acks");
            assertThat(ack.get("seq").asLong()).isEqualTo(1);
            assertThat(texts(ack.get("mentions"))).containsExactly(bob.id());
            JsonNode live = cb.next("messages");
            assertThat(live.get("kind").asText()).isEqualTo("MESSAGE");
            assertThat(live.get("text").asText()).isEqualTo("@all hi");
            assertThat(texts(live.get("mentions"))).containsExactly(bob.id());

            ca.send("/app/messages.send", Map.of("conversationId", gid, "clientMessageId", "s2",
                    "text", "@eve", "mentions", List.of(eve.id())));
            JsonNode refused = ca.next("acks");
            assertThat(refused.get("clientMessageId").asText()).isEqualTo("s2");
            assertThat(refused.get("error").get("type").asText()).isEqualTo(TYPES + "mention-not-a-member");
            ca.send("/app/messages.send", Map.of("conversationId", gid, "clientMessageId", "s3",
                    "text", "@?", "mentions", List.of("not-an-id")));
            assertThat(ca.next("acks").get("error").get("type").asText()).isEqualTo(TYPES + "invalid-account-id");
            assertThat(ca.isConnected()).isTrue();

            assertThat(texts(history(bob, gid).get(0).get("mentions"))).containsExactly(bob.id());
        }
    }

    @Test
    void searchFindsTheMessagesMentioningTheCaller() {
        User ann = api.signUp("srcann");
        User bob = api.signUp("srcbob");
        User cid = api.signUp("srccid");
        String gid = group(ann, bob, cid);
        String word = "mentionword" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        assertThat(send(ann, gid, "q1", word + " for bob", List.of(bob.id())).status()).isEqualTo(201);
        assertThat(send(ann, gid, "q2", word + " for cid", List.of(cid.id())).status()).isEqualTo(201);
        assertThat(send(ann, gid, "q3", word + " for no one", List.of()).status()).isEqualTo(201);

        JsonNode all = awaitHits(bob, "q=" + word, hits -> hits.size() == 3);
        assertThat(all).hasSize(3);
        JsonNode mine = awaitHits(bob, "q=" + word + "&mentions=me", hits -> hits.size() == 1);
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("text").asText()).isEqualTo(word + " for bob");
        assertThat(texts(mine.get(0).get("mentions"))).containsExactly(bob.id());
        JsonNode cids = awaitHits(cid, "mentions=me&conversation=" + gid, hits -> hits.size() == 1);
        assertThat(cids.get(0).get("text").asText()).isEqualTo(word + " for cid");
        assertThat(awaitHits(ann, "mentions=me&conversation=" + gid, hits -> true)).isEmpty();

        Response other = api.get("/api/search?mentions=" + bob.id(), ann.accessToken());
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().get("type").asText()).isEqualTo(TYPES + "invalid-parameter");
    }

    /**
     * A MessageSent row as Axon's JacksonSerializer stored it at revision 1, appended directly to the event
     * table ({@code domainevententry} in Axon's default schema): the application's upcaster chain, which the
     * storage engine holds, lifts it to revision 2, the event store reads it, and history shows it with no
     * mentions. (Without the upcaster the payload would still deserialize, mentions defaulting to none: the
     * revision is what tells the chain did its job.)
     */
    @Test
    void aStoredRevisionOneMessageReadsBackWithNoMentions() {
        User ann = api.signUp("upcann");
        User bob = api.signUp("upcbob");
        String gid = group(ann, bob);
        assertThat(send(ann, gid, "u1", "first", List.of(bob.id())).status()).isEqualTo(201);
        long next = jdbc.queryForObject("SELECT max(" + schema.sequenceNumberColumn() + ") + 1 FROM "
                + schema.domainEventTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ?", Long.class, gid);
        String sentAt = Instant.now().toString();
        String payload = "{\"conversationId\":\"" + gid + "\",\"seq\":2,\"messageId\":\"" + UUID.randomUUID()
                + "\",\"clientMessageId\":\"u2\",\"senderId\":\"" + bob.id() + "\",\"type\":\"TEXT\","
                + "\"text\":\"stored long ago\",\"media\":null,\"replyTo\":1,\"sentAt\":\"" + sentAt + "\"}";
        jdbc.update("INSERT INTO " + schema.domainEventTable() + " (" + String.join(", ",
                        schema.eventIdentifierColumn(), schema.aggregateIdentifierColumn(),
                        schema.sequenceNumberColumn(), schema.typeColumn(), schema.timestampColumn(),
                        schema.payloadTypeColumn(), schema.payloadRevisionColumn(), schema.payloadColumn(),
                        schema.metaDataColumn()) + ") VALUES (?, ?, ?, 'Conversation', ?, ?, '1', ?, ?)",
                UUID.randomUUID().toString(), gid, next, sentAt, MessageSent.class.getName(),
                payload.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(ReflectionTestUtils.getField(storageEngine, "upcasterChain"))
                .as("the JDBC engine reads through the configuration's chain").isSameAs(axon.upcasterChain());
        DomainEventData<byte[]> row = jdbc.queryForObject("SELECT " + schema.payloadColumn() + ", "
                        + schema.payloadRevisionColumn() + " FROM " + schema.domainEventTable() + " WHERE "
                        + schema.aggregateIdentifierColumn() + " = ? AND " + schema.sequenceNumberColumn() + " = ?",
                (rs, i) -> new GenericDomainEventEntry<>("Conversation", gid, next, "e", Instant.parse(sentAt),
                        MessageSent.class.getName(), rs.getString(2), rs.getBytes(1), "{}".getBytes(StandardCharsets.UTF_8)),
                gid, next);
        assertThat(row.getPayload().getType().getRevision()).isEqualTo("1");
        List<IntermediateEventRepresentation> upcast = axon.upcasterChain()
                .upcast(Stream.of(new InitialEventRepresentation(row, eventSerializer))).toList();
        // 1 and 2 to 3 (mentions, forwardedFrom), then 3 to 4 (withheldFrom, README, Blocking), in the one chain
        assertThat(upcast.get(0).getType().getRevision()).isEqualTo("4");
        assertThat(upcast.get(0).getData(JsonNode.class).getData().get("mentions").isArray()).isTrue();
        assertThat(upcast.get(0).getData(JsonNode.class).getData().get("withheldFrom").isArray()).isTrue();

        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(gid).asStream().toList();
        MessageSent read = (MessageSent) events.get(events.size() - 1).getPayload();
        assertThat(read.mentions()).isEmpty();
        assertThat(read.withheldFrom()).isEmpty();
        assertThat(read.text()).isEqualTo("stored long ago");
        assertThat(read.senderId()).isEqualTo(bob.id());
        assertThat(read.replyTo()).isEqualTo(1L);
        assertThat(read.sentAt()).isEqualTo(Instant.parse(sentAt));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode history = history(ann, gid);
        while (history.size() < 2 && System.nanoTime() < deadline) {
            sleep();
            history = history(ann, gid);
        }
        assertThat(history).hasSize(2);
        assertThat(texts(history.get(0).get("mentions"))).containsExactly(bob.id());
        assertThat(history.get(1).get("text").asText()).isEqualTo("stored long ago");
        assertThat(history.get(1).get("replyTo").asLong()).isEqualTo(1);
        assertThat(history.get(1).get("mentions").isArray()).isTrue();
        assertThat(history.get(1).get("mentions")).isEmpty();
    }

    /** The index is near-real-time and fed asynchronously: poll. */
    private JsonNode awaitHits(User user, String query, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode hits;
        do {
            Response response = api.get("/api/search?" + query, user.accessToken());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            hits = response.json().get("hits");
            if (done.test(hits)) {
                return hits;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        return hits;
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
