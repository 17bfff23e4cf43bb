package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 6 over real STOMP clients: receipt watermarks, coalesced acks, last seen with privacy, typing. */
class ReceiptsPresenceIT extends IntegrationTest {
    private static final Duration QUIET = Duration.ofMillis(700);

    @Autowired
    JdbcTemplate jdbc;

    private long events(String conversationId, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype LIKE ?",
                Long.class, conversationId, "%" + type);
    }

    private long events(String conversationId) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", Long.class,
                conversationId);
    }

    private static Map<String, Object> text(String cid, String clientMessageId, String text) {
        return Map.of("conversationId", cid, "clientMessageId", clientMessageId, "text", text);
    }

    private String direct(User a, User b) {
        return api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", b.id()), a.accessToken())
                .json().get("id").asText();
    }

    @Test
    void groupOfThreeReceiptFramesAndTheReceiptsEndpoint() {
        User a = api.signUp("rca");
        User b = api.signUp("rcb");
        User c = api.signUp("rcc");
        String gid = api.post("/api/conversations", Map.of("type", "GROUP", "title", "three",
                "memberIds", List.of(b.id(), c.id())), a.accessToken()).json().get("id").asText();
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken());
             StompTestClient cb = StompTestClient.connect(port, b.accessToken());
             StompTestClient c1 = StompTestClient.connect(port, c.accessToken());
             StompTestClient c2 = StompTestClient.connect(port, c.accessToken())) {
            for (int i = 1; i <= 3; i++) {
                ca.send("/app/messages.send", text(gid, "g3-" + i, "message " + i));
            }
            assertThat(ca.take("acks", 3, Duration.ofSeconds(30))).extracting(ack -> ack.get("seq").asLong())
                    .containsExactly(1L, 2L, 3L);
            assertThat(cb.take("messages", 3, Duration.ofSeconds(30))).hasSize(3);
            assertThat(c2.take("messages", 3, Duration.ofSeconds(30))).hasSize(3);
            assertThat(c2.next("receipts", QUIET)).isNull();

            cb.send("/app/receipts.delivered", Map.of("conversationId", gid, "upToSeq", 2));
            JsonNode delivered = ca.next("receipts");
            assertThat(delivered.get("conversationId").asText()).isEqualTo(gid);
            assertThat(delivered.get("userId").asText()).isEqualTo(b.id());
            assertThat(delivered.get("kind").asText()).isEqualTo("DELIVERED");
            assertThat(delivered.get("upToSeq").asLong()).isEqualTo(2);
            assertThat(Instant.parse(delivered.get("at").asText())).isBefore(Instant.now().plusSeconds(1));

            c1.send("/app/receipts.read", Map.of("conversationId", gid, "upToSeq", 3));
            JsonNode read = ca.next("receipts");
            assertThat(read.get("userId").asText()).isEqualTo(c.id());
            assertThat(read.get("kind").asText()).isEqualTo("READ");
            assertThat(read.get("upToSeq").asLong()).isEqualTo(3);
            assertThat(ca.next("receipts", QUIET)).as("exactly two watermark frames").isNull();

            // C's other device learns live that C read everything, and C's inbox shows nothing unread
            List<JsonNode> otherDevice = c2.drain("receipts", QUIET);
            assertThat(otherDevice).anyMatch(f -> f.get("userId").asText().equals(c.id())
                    && f.get("kind").asText().equals("READ") && f.get("upToSeq").asLong() == 3);
            JsonNode inboxC = findConversation(api.get("/api/conversations", c.accessToken()).json(), gid);
            assertThat(inboxC.get("unreadCount").asLong()).isZero();
            JsonNode inboxB = findConversation(api.get("/api/conversations", b.accessToken()).json(), gid);
            assertThat(inboxB.get("unreadCount").asLong()).isEqualTo(3);

            JsonNode r2 = api.get("/api/conversations/" + gid + "/messages/2/receipts", a.accessToken()).json();
            assertThat(r2.get("seq").asLong()).isEqualTo(2);
            assertThat(r2.get("recipients").asInt()).isEqualTo(2);
            assertThat(userIds(r2.get("delivered"))).containsExactlyInAnyOrder(b.id(), c.id());
            assertThat(userIds(r2.get("read"))).containsExactly(c.id());
            assertThat(r2.get("state").asText()).isEqualTo("DELIVERED");
            JsonNode r3 = api.get("/api/conversations/" + gid + "/messages/3/receipts", a.accessToken()).json();
            assertThat(userIds(r3.get("delivered"))).containsExactly(c.id());
            assertThat(userIds(r3.get("read"))).containsExactly(c.id());
            assertThat(r3.get("state").asText()).isEqualTo("SENT");
            assertThat(r3.get("read").get(0).get("at").isTextual()).isTrue();
            assertThat(api.get("/api/conversations/" + gid + "/messages/3/receipts",
                    api.signUp("rcx").accessToken()).status()).isEqualTo(404);
        }
    }

    @Test
    void aBurstOfTwoHundredDeliveredAcksYieldsFewEventsAndTheRightWatermark() {
        User a = api.signUp("bursta");
        User b = api.signUp("burstb");
        String cid = direct(a, b);
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken());
             StompTestClient cb = StompTestClient.connect(port, b.accessToken())) {
            for (int i = 1; i <= 200; i++) {
                ca.send("/app/messages.send", text(cid, "burst-" + i, "m" + i));
            }
            assertThat(ca.take("acks", 200, Duration.ofSeconds(90))).hasSize(200);
            List<JsonNode> received = cb.take("messages", 200, Duration.ofSeconds(60));
            assertThat(received).hasSize(200);
            // as a client acking each frame on arrival does
            for (JsonNode frame : received) {
                cb.send("/app/receipts.delivered", Map.of("conversationId", cid, "upToSeq", frame.get("seq").asLong()));
            }
            JsonNode last = null;
            for (JsonNode frame = ca.next("receipts"); frame != null; frame = ca.next("receipts", Duration.ofSeconds(3))) {
                last = frame;
                if (frame.get("upToSeq").asLong() == 200) {
                    break;
                }
            }
            assertThat(last).isNotNull();
            assertThat(last.get("upToSeq").asLong()).isEqualTo(200);
            assertThat(cb.next("errors", Duration.ofMillis(100))).isNull();
        }
        long delivered = events(cid, "MessagesDelivered");
        System.out.printf("[measured] 200 delivered-acks in a burst -> %d MessagesDelivered events%n", delivered);
        assertThat(delivered).isBetween(1L, 10L);
        JsonNode receipts = api.get("/api/conversations/" + cid + "/messages/200/receipts", a.accessToken()).json();
        assertThat(userIds(receipts.get("delivered"))).containsExactly(b.id());
    }

    @Test
    void whenBGoesOfflineASeesBsLastSeen() {
        User a = api.signUp("lsa");
        User b = api.signUp("lsb");
        direct(a, b);
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken())) {
            StompTestClient cb = StompTestClient.connect(port, b.accessToken());
            JsonNode online = nextPresenceOf(ca, b.id());
            assertThat(online.get("online").asBoolean()).isTrue();
            JsonNode now = api.get("/api/users/" + b.id() + "/presence", a.accessToken()).json();
            assertThat(now.get("online").asBoolean()).isTrue();

            Instant beforeLeaving = Instant.now().minusSeconds(1);
            cb.close();
            JsonNode offline = nextPresenceOf(ca, b.id());
            assertThat(offline.get("online").asBoolean()).isFalse();
            assertThat(Instant.parse(offline.get("lastSeenAt").asText())).isAfter(beforeLeaving);

            JsonNode rest = api.get("/api/users/" + b.id() + "/presence", a.accessToken()).json();
            assertThat(rest.get("userId").asText()).isEqualTo(b.id());
            assertThat(rest.get("online").asBoolean()).isFalse();
            assertThat(rest.get("lastSeenAt").asText()).isEqualTo(offline.get("lastSeenAt").asText());
        }
        assertThat(api.get("/api/users/" + java.util.UUID.randomUUID() + "/presence", a.accessToken()).status())
                .isEqualTo(404);
    }

    @Test
    void withBsPrivacyNobodyASeesNoLastSeenAndBSeesNoneEither() {
        User a = api.signUp("pva");
        User b = api.signUp("pvb");
        direct(a, b);
        assertThat(api.put("/api/me/privacy", Map.of("lastSeen", "NOBODY"), b.accessToken()).status()).isEqualTo(204);
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken())) {
            // A was online and went away earlier: A's own last seen exists and A shows it to everyone
            StompTestClient cb = StompTestClient.connect(port, b.accessToken());
            assertThat(nextPresenceOf(ca, b.id()).get("online").asBoolean()).isTrue();
            cb.close();
            JsonNode offline = nextPresenceOf(ca, b.id());
            assertThat(offline.get("online").asBoolean()).isFalse();
            assertThat(offline.get("lastSeenAt").isNull()).isTrue();
            JsonNode rest = api.get("/api/users/" + b.id() + "/presence", a.accessToken()).json();
            assertThat(rest.get("online").asBoolean()).isFalse();
            assertThat(rest.get("lastSeenAt").isNull()).isTrue();
        }
        // A is offline now with a last seen, visible to everyone but B, who hides their own
        JsonNode aSeenByB = api.get("/api/users/" + a.id() + "/presence", b.accessToken()).json();
        assertThat(aSeenByB.get("lastSeenAt").isNull()).isTrue();
        JsonNode aSeenByA = api.get("/api/users/" + a.id() + "/presence", a.accessToken()).json();
        assertThat(aSeenByA.get("lastSeenAt").isTextual()).isTrue();
    }

    @Test
    void typingReachesTheOthersExpiresAndLeavesNoTraceInTheEventStore() {
        User a = api.signUp("tya");
        User b = api.signUp("tyb");
        User c = api.signUp("tyc");
        String gid = api.post("/api/conversations", Map.of("type", "GROUP", "title", "typing",
                "memberIds", List.of(b.id(), c.id())), a.accessToken()).json().get("id").asText();
        long before = events(gid);
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken());
             StompTestClient cb = StompTestClient.connect(port, b.accessToken());
             StompTestClient cc = StompTestClient.connect(port, c.accessToken())) {
            Instant sent = Instant.now();
            ca.send("/app/typing", Map.of("conversationId", gid, "typing", true));
            for (StompTestClient other : List.of(cb, cc)) {
                JsonNode typing = other.next("typing");
                assertThat(typing.get("conversationId").asText()).isEqualTo(gid);
                assertThat(typing.get("userId").asText()).isEqualTo(a.id());
                assertThat(typing.get("typing").asBoolean()).isTrue();
                Instant expires = Instant.parse(typing.get("expiresAt").asText());
                assertThat(expires).isBetween(sent.plusSeconds(4), sent.plusSeconds(6));
            }
            assertThat(ca.next("typing", QUIET)).as("the typist is not told of itself").isNull();

            // without a refresh the indicator expires after 5 s: the others are told
            JsonNode expired = cb.next("typing", Duration.ofSeconds(10));
            assertThat(expired.get("typing").asBoolean()).isFalse();
            assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(4500));

            // a flood is cut at the per-session rate, with an error, and the session stays
            for (int i = 0; i < 30; i++) {
                cb.send("/app/typing", Map.of("conversationId", gid, "typing", true));
            }
            assertThat(cb.next("errors").get("type").asText()).isEqualTo("https://parley.io/problems/rate-limited");
            List<JsonNode> forwarded = ca.drain("typing", QUIET);
            assertThat(forwarded.size()).isBetween(1, 12);
            // an outsider's typing goes nowhere
            User eve = api.signUp("tyeve");
            try (StompTestClient ce = StompTestClient.connect(port, eve.accessToken())) {
                ce.send("/app/typing", Map.of("conversationId", gid, "typing", true));
                assertThat(ce.next("errors").get("type").asText()).isEqualTo("https://parley.io/problems/not-a-member");
            }
        }
        assertThat(events(gid)).as("typing is never stored").isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE payloadtype ILIKE '%typing%'",
                Long.class)).isZero();
    }

    private static JsonNode nextPresenceOf(StompTestClient client, String userId) {
        for (int i = 0; i < 20; i++) {
            JsonNode frame = client.next("presence", Duration.ofSeconds(20));
            assertThat(frame).as("a presence frame about " + userId).isNotNull();
            if (frame.get("userId").asText().equals(userId)) {
                return frame;
            }
        }
        throw new AssertionError("no presence frame about " + userId);
    }

    private static List<String> userIds(JsonNode receipts) {
        List<String> ids = new ArrayList<>();
        receipts.forEach(r -> ids.add(r.get("userId").asText()));
        return ids;
    }

    private static JsonNode findConversation(JsonNode inbox, String id) {
        for (JsonNode entry : inbox) {
            if (entry.get("id").asText().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("not in the inbox: " + id);
    }
}
