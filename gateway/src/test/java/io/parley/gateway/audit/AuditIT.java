package io.parley.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auditors' API on a history this test makes (accounts, a group, messages, a read receipt, a title change, a
 * removal, a deletion): exactly those events by conversation, user, type and time window, in global order across
 * pages; the NDJSON export; the group as it stood before and after each change; the role checks; and the hash
 * chain, which reports a payload altered and a row deleted directly in PostgreSQL (both on this test's own rows,
 * put back afterwards so the shared store stays whole for the other tests).
 */
class AuditIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventSchema schema;

    User auditor;
    User alice;
    User bob;
    User carol;
    String group;
    Instant start;

    @BeforeEach
    void history() throws Exception {
        start = Instant.now().minusMillis(5);
        User admin = api.admin();
        auditor = withRole(admin, api.signUp("auditor"), "AUDITOR");
        alice = api.signUp("alice");
        bob = api.signUp("bob");
        carol = api.signUp("carol");
        group = ok(api.post("/api/conversations", Map.of("type", "GROUP", "title", "Team",
                "memberIds", List.of(bob.id(), carol.id())), alice.accessToken()), 201).json().get("id").asText();
        send(alice, "hello from alice");
        long bobSeq = send(bob, "bob's secret");
        Thread.sleep(5);
        ok(api.post("/api/conversations/" + group + "/receipts/read", Map.of("upToSeq", bobSeq), carol.accessToken()), 204);
        Thread.sleep(5);
        ok(api.put("/api/conversations/" + group + "/title", Map.of("text", "Renamed"), alice.accessToken()), 204);
        Thread.sleep(5);
        ok(api.delete("/api/conversations/" + group + "/members/" + carol.id(), alice.accessToken()), 204);
        Thread.sleep(5);
        ok(api.delete("/api/conversations/" + group + "/messages/" + bobSeq, bob.accessToken()), 204);
    }

    private long send(User from, String text) throws InterruptedException {
        Thread.sleep(5);
        return ok(api.post("/api/conversations/" + group + "/messages", Map.of("clientMessageId",
                UUID.randomUUID().toString(), "text", text), from.accessToken()), 201).json().get("seq").asLong();
    }

    private static final List<String> GROUP_HISTORY = List.of("GroupCreated", "MessageSent", "MessageSent",
            "MessagesRead", "GroupRenamed", "MemberRemoved", "MessageDeleted");

    @Test
    void eventsByConversationUserTypeAndTimeInGlobalOrderAcrossPages() {
        List<JsonNode> byConversation = all("conversationId=" + group, 2);
        assertThat(types(byConversation)).containsExactlyElementsOf(GROUP_HISTORY);
        assertThat(positions(byConversation)).isSorted().doesNotHaveDuplicates();
        JsonNode created = byConversation.get(0);
        assertThat(created.get("aggregateType").asText()).isEqualTo("Conversation");
        assertThat(created.get("aggregateId").asText()).isEqualTo(group);
        assertThat(created.get("aggregateSeq").asLong()).isZero();
        assertThat(created.get("revision").asText()).isEqualTo("1");
        assertThat(created.get("actorId").asText()).isEqualTo(alice.id());
        assertThat(created.get("payload").get("title").asText()).isEqualTo("Team");
        assertThat(byConversation.get(2).get("payload").get("text").asText()).isEqualTo("bob's secret");
        // the same events in one page
        Response one = auditor("/api/audit/events?conversationId=" + group + "&limit=1000");
        assertThat(one.json().get("nextCursor").isNull()).isTrue();
        assertThat(positions(list(one.json().get("events")))).isEqualTo(positions(byConversation));

        // bob: his account, the group naming him, his message, his deletion (the read receipt is carol's)
        List<JsonNode> byBob = all("userId=" + bob.id() + "&from=" + start, 3);
        assertThat(types(byBob)).containsExactly("AccountRegistered", "GroupCreated", "MessageSent", "MessageDeleted");
        // carol: the group, her receipt, her removal by alice
        List<JsonNode> byCarol = all("userId=" + carol.id() + "&from=" + start, 100);
        assertThat(types(byCarol)).containsExactly("AccountRegistered", "GroupCreated", "MessagesRead", "MemberRemoved");
        assertThat(byCarol.get(3).get("actorId").asText()).isEqualTo(alice.id());

        List<JsonNode> byType = all("conversationId=" + group + "&types=GroupRenamed,MemberRemoved", 1);
        assertThat(types(byType)).containsExactly("GroupRenamed", "MemberRemoved");
        List<JsonNode> anyMessageDeleted = all("types=MessageDeleted&from=" + start, 50);
        assertThat(types(anyMessageDeleted)).containsOnly("MessageDeleted");
        assertThat(positions(anyMessageDeleted)).contains(byConversation.get(6).get("position").asLong());

        // [from, to): bob's message up to (not including) the removal
        String from = byConversation.get(2).get("timestamp").asText();
        String to = byConversation.get(5).get("timestamp").asText();
        List<JsonNode> window = all("conversationId=" + group + "&from=" + from + "&to=" + to, 2);
        assertThat(types(window)).containsExactly("MessageSent", "MessagesRead", "GroupRenamed");
    }

    @Test
    void everyAuditRequestIsItselfAnEvent() {
        auditor("/api/audit/events?conversationId=" + group + "&limit=7");
        List<JsonNode> queried = all("types=AuditQueried&userId=" + auditor.id() + "&from=" + start, 100);
        assertThat(queried).isNotEmpty();
        JsonNode last = queried.get(queried.size() - 1).get("payload");
        // the listing itself was recorded before it was answered: the last one is this very listing
        assertThat(last.get("endpoint").asText()).isEqualTo("GET /api/audit/events");
        assertThat(last.get("filters").get("types").asText()).isEqualTo("AuditQueried");
        JsonNode earlier = queried.get(queried.size() - 2).get("payload");
        assertThat(earlier.get("filters").get("conversationId").asText()).isEqualTo(group);
        assertThat(earlier.get("filters").get("limit").asText()).isEqualTo("7");
        assertThat(queried.get(0).get("actorId").asText()).isEqualTo(auditor.id());
        assertThat(queried.get(0).get("aggregateType").isNull()).isTrue();
    }

    @Test
    void exportIsNdjsonOfTheSameEntries() {
        Response export = auditor("/api/audit/export?conversationId=" + group);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : export.body().split("\n")) {
            lines.add(read(line));
        }
        assertThat(types(lines)).containsExactlyElementsOf(GROUP_HISTORY);
        assertThat(positions(lines)).isEqualTo(positions(all("conversationId=" + group, 100)));
        assertThat(lines.get(0).has("actorId")).isTrue();
        Response bad = auditor("/api/audit/export?types=Nope");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.isProblem()).isTrue();
    }

    @Test
    void theGroupAsItStoodBeforeAndAfterEachChange() {
        List<JsonNode> events = all("conversationId=" + group, 100);
        Instant renamed = Instant.parse(events.get(4).get("timestamp").asText());
        Instant removed = Instant.parse(events.get(5).get("timestamp").asText());
        Instant deleted = Instant.parse(events.get(6).get("timestamp").asText());

        JsonNode beforeRename = state(renamed.minusMillis(1));
        assertThat(beforeRename.get("title").asText()).isEqualTo("Team");
        assertThat(beforeRename.get("type").asText()).isEqualTo("GROUP");
        assertThat(beforeRename.get("asOf").asText()).isEqualTo(renamed.minusMillis(1).toString());
        JsonNode afterRename = state(renamed);
        assertThat(afterRename.get("title").asText()).isEqualTo("Renamed");

        JsonNode beforeRemoval = state(removed.minusMillis(1));
        assertThat(members(beforeRemoval)).containsExactly(alice.id() + ":ADMIN", bob.id() + ":MEMBER",
                carol.id() + ":MEMBER");
        JsonNode afterRemoval = state(removed);
        assertThat(members(afterRemoval)).containsExactly(alice.id() + ":ADMIN", bob.id() + ":MEMBER");

        JsonNode bobsBefore = afterRemoval.get("messages").get(1);
        assertThat(bobsBefore.get("text").asText()).isEqualTo("bob's secret");
        assertThat(bobsBefore.get("deleted").asBoolean()).isFalse();
        assertThat(bobsBefore.get("senderId").asText()).isEqualTo(bob.id());
        assertThat(list(bobsBefore.get("readBy"))).extracting(JsonNode::asText).containsExactly(carol.id());
        assertThat(list(afterRemoval.get("messages").get(0).get("deliveredTo"))).extracting(JsonNode::asText)
                .containsExactly(carol.id());
        JsonNode bobsAfter = state(deleted).get("messages").get(1);
        assertThat(bobsAfter.get("deleted").asBoolean()).isTrue();
        assertThat(bobsAfter.get("text").isNull()).isTrue();

        Response before = auditor("/api/audit/conversations/" + group + "/state?at=" + start.minusSeconds(60));
        assertThat(before.status()).isEqualTo(404);
        assertThat(before.isProblem()).isTrue();
        assertThat(auditor("/api/audit/conversations/" + group + "/state?at=soon").status()).isEqualTo(400);
    }

    @Test
    void onlyAuditorsGetIn() throws Exception {
        User admin = api.admin();
        User analyst = withRole(admin, api.signUp("analyst"), "ANALYST");
        List<String> paths = List.of("/api/audit/events", "/api/audit/export", "/api/audit/verify",
                "/api/audit/conversations/" + group + "/state");
        for (String path : paths) {
            for (User denied : List.of(alice, analyst, admin)) {
                Response r = api.get(path, denied.accessToken());
                assertThat(r.status()).as(path + " as " + denied.handle()).isEqualTo(403);
                assertThat(r.isProblem()).isTrue();
            }
            Response anonymous = api.get(path, null);
            assertThat(anonymous.status()).as(path + " anonymous").isEqualTo(401);
            assertThat(anonymous.isProblem()).isTrue();
            assertThat(auditor(path).status()).as(path + " as auditor").isEqualTo(200);
        }
    }

    @Test
    void badFiltersAreProblems() {
        for (String query : List.of("from=yesterday", "to=2026-13-01T00:00:00Z", "limit=0", "limit=1001",
                "types=MessageSent,Nope", "after=garbage", "userId=Bob", "conversationId=x",
                "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "limit=ten")) {
            Response r = auditor("/api/audit/events?" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.isProblem()).as(query).isTrue();
        }
        assertThat(auditor("/api/audit/verify?position=-1").status()).isEqualTo(400);
    }

    @Test
    void theChainReportsAnAlteredAndADeletedRowAndVerifiesOnceTheyAreBack() {
        List<JsonNode> events = all("conversationId=" + group, 100);
        long altered = events.get(1).get("position").asLong();
        long deleted = events.get(3).get("position").asLong();
        long last = events.get(6).get("position").asLong();
        // the chain follows the store: wait until it has linked this test's events
        JsonNode before = await(() -> {
            JsonNode v = auditor("/api/audit/verify?position=" + last).json();
            return v.get("link").isNull() ? null : v;
        });
        assertThat(before.get("verified").asBoolean()).as(before.toString()).isTrue();
        assertThat(before.get("firstBrokenPosition").isNull()).isTrue();
        assertThat(before.get("events").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(before.get("head").asText()).hasSize(64);
        JsonNode info = api.get("/actuator/info", null).json().get("auditChain");
        assertThat(info.get("events").asLong()).isPositive();
        assertThat(info.get("head").asText()).hasSize(64);

        String table = schema.domainEventTable();
        String byPosition = " WHERE " + schema.globalIndexColumn() + " = ?";
        String setPayload = "UPDATE " + table + " SET " + schema.payloadColumn() + " = ?" + byPosition;
        byte[] original = jdbc.queryForObject("SELECT " + schema.payloadColumn() + " FROM " + table + byPosition,
                byte[].class, altered);
        // the stored text is ciphertext (README, Account deletion): Eve puts her own plaintext in its place
        String stored = new String(original, StandardCharsets.UTF_8);
        String tampered = stored.replaceFirst("\"text\":\"[^\"]*\"", "\"text\":\"HELLO FROM EVE\"");
        assertThat(tampered).as("the row holds a text to alter").isNotEqualTo(stored);
        try {
            assertThat(jdbc.update(setPayload, tampered.getBytes(StandardCharsets.UTF_8), altered)).isEqualTo(1);
            JsonNode v = auditor("/api/audit/verify").json();
            assertThat(v.get("verified").asBoolean()).isFalse();
            assertThat(v.get("firstBrokenPosition").asLong()).as(v.toString()).isEqualTo(altered);
            assertThat(v.get("problem").asText()).isEqualTo("altered");
            // the auditor sees the altered row as it is now stored
            assertThat(events("conversationId=" + group + "&limit=2").get(1).get("payload").get("text").asText())
                    .isEqualTo("HELLO FROM EVE");
        } finally {
            jdbc.update(setPayload, original, altered);
        }
        assertThat(auditor("/api/audit/verify").json().get("verified").asBoolean()).isTrue();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM " + table + byPosition, deleted);
        try {
            assertThat(jdbc.update("DELETE FROM " + table + byPosition, deleted)).isEqualTo(1);
            JsonNode v = auditor("/api/audit/verify").json();
            assertThat(v.get("verified").asBoolean()).isFalse();
            assertThat(v.get("firstBrokenPosition").asLong()).as(v.toString()).isEqualTo(deleted);
            assertThat(v.get("problem").asText()).isEqualTo("removed");
        } finally {
            String columns = String.join(", ", row.keySet());
            String marks = String.join(", ", row.keySet().stream().map(k -> "?").toList());
            jdbc.update("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")", row.values().toArray());
        }
        JsonNode after = auditor("/api/audit/verify").json();
        assertThat(after.get("verified").asBoolean()).as(after.toString()).isTrue();
        // the head published before still names the same link
        JsonNode link = auditor("/api/audit/verify?position=" + last).json().get("link");
        assertThat(link.get("hash").asText()).isEqualTo(before.get("link").get("hash").asText());
    }

    // ---- helpers

    private Response auditor(String path) {
        return api.get(path, auditor.accessToken());
    }

    private List<JsonNode> events(String query) {
        Response r = auditor("/api/audit/events?" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return list(r.json().get("events"));
    }

    /** Every page of a listing, following nextCursor. */
    private List<JsonNode> all(String query, int limit) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = auditor("/api/audit/events?" + encoded(query) + "&limit=" + limit
                    + (cursor == null ? "" : "&after=" + cursor));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            entries.addAll(list(r.json().get("events")));
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            assertThat(++pages).as("pages of " + query).isLessThan(10_000);
        } while (cursor != null);
        return entries;
    }

    private static String encoded(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair, 0, eq + 1).append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private JsonNode state(Instant at) {
        Response r = auditor("/api/audit/conversations/" + group + "/state?at=" + URLEncoder.encode(at.toString(),
                StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> members(JsonNode state) {
        return list(state.get("members")).stream().map(m -> m.get("userId").asText() + ":" + m.get("role").asText())
                .toList();
    }

    private static List<String> types(List<JsonNode> entries) {
        return entries.stream().map(e -> e.get("type").asText()).toList();
    }

    private static List<Long> positions(List<JsonNode> entries) {
        return entries.stream().map(e -> e.get("position").asLong()).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response ok(Response response, int expected) {
        assertThat(response.status()).as(response.body()).isEqualTo(expected);
        return response;
    }

    private User withRole(User admin, User user, String role) throws Exception {
        ok(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of(role)), admin.accessToken()), 204);
        User[] signedIn = new User[1];
        await(() -> {
            signedIn[0] = api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
            String claims = new String(Base64.getUrlDecoder().decode(signedIn[0].accessToken().split("\\.")[1]),
                    StandardCharsets.UTF_8);
            return claims.contains(role) ? Boolean.TRUE : null;
        });
        return signedIn[0];
    }

    private static <T> T await(Supplier<T> condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
