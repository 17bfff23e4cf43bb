package io.parley.gateway.replay;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay (README, "Replay"): every view rebuilt from the event store equals the one the live projections built,
 * and a replay started while people chat serves reads throughout and loses nothing sent meanwhile. The store
 * holds every event of the IT classes that ran before this one, so the comparison covers their data too
 * (analytics and the audit chain over the whole store).
 */
class ReplayIT extends IntegrationTest {

    /** The collections of the rebuildable projections (push state and presence are not views of the events). */
    private static final Set<String> VIEWS = Set.of("conversation_summaries", "conversation_history",
            "user_conversations", "accounts", "media", "media-conversations", "audit_chain", "audit_chain_head");

    @Autowired
    MongoDatabase mongo;

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    io.parley.projections.search.SearchIndexProperties searchIndex;

    /**
     * Generation numbers restart after every index was dropped, so a generation a replay retires may by then carry
     * the name of a rebuild's new one (CI met it: the retire deleted the rebuild's index and the replay hung).
     */
    @Test
    void aRetiredGenerationIsKeptWhileARebuildsAliasNamesIt() throws Exception {
        io.parley.projections.search.MessageIndex live =
                new io.parley.projections.search.MessageIndex(elasticsearch, searchIndex);
        String name = searchIndex.indexPrefix() + "9999";
        String rebuildAlias = searchIndex.writeAlias() + "-rebuild";
        elasticsearch.indices().create(c -> c.index(name).aliases(rebuildAlias, a -> a.isWriteIndex(true)));
        try {
            assertThat(live.deleteRetired(name)).as("named by a rebuild's write alias").isFalse();
            assertThat(elasticsearch.indices().exists(e -> e.index(name)).value()).isTrue();

            elasticsearch.indices().deleteAlias(d -> d.index(name).name(rebuildAlias));
            assertThat(live.deleteRetired(name)).as("named by no alias").isTrue();
            assertThat(elasticsearch.indices().exists(e -> e.index(name)).value()).isFalse();
        } finally {
            live.delete(name);
        }
    }

    @Test
    void droppingEveryViewAndReplayingRebuildsThemIdentically() throws Exception {
        World world = chatter("drop");
        User admin = api.admin();
        User analyst = analyst(admin);
        User auditor = auditor(admin);
        Instant from = Instant.now().minus(Duration.ofHours(2));
        Instant to = Instant.now().plus(Duration.ofHours(2));
        awaitSettled(world);
        chainPosition = awaitJson(auditor, "/api/audit/verify", json -> json.get("pending").asLong() == 0)
                .get("headPosition").asLong();

        Map<String, JsonNode> before = stableCapture(world, analyst, auditor, from, to);

        // every read model and the search index gone
        for (String collection : mongo.listCollectionNames().into(new ArrayList<>())) {
            if (VIEWS.contains(collection) || collection.startsWith("search_members_")
                    || collection.startsWith("search_receipts_")) {
                mongo.getCollection(collection).drop();
            }
        }
        elasticsearch.indices().delete(d -> d.index("messages-v*"));
        // asserted only after the replay: every IT after this one needs the views back
        Response gone = api.get("/api/conversations/" + world.group + "/messages?limit=200", world.alice.accessToken());

        JsonNode done = replay(admin, null);
        assertThat(gone.status()).as("the history is gone with its views: " + gone.body()).isEqualTo(404);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.get("eventsDone").asLong()).isEqualTo(done.get("eventsTotal").asLong()).isPositive();
        assertThat(done.get("processors")).extracting(JsonNode::asText).contains("conversation-views",
                "message-search", "account-views", "media-access", "audit-chain");

        Map<String, JsonNode> after = awaitCapture(world, analyst, auditor, from, to, before);
        for (String view : before.keySet()) {
            assertThat(after.get(view)).as(view).isEqualTo(before.get(view));
        }

        // once the replaced generations are retired (chat.replay.retire-delay), the rebuilt one still serves: a
        // generation number freed by the drop and reused by the rebuild is not retired with the old one
        Thread.sleep(7_000);
        Map<String, JsonNode> retired = capture(world, analyst, auditor, from, to);
        for (String view : before.keySet()) {
            assertThat(retired.get(view)).as(view + " after retiring").isEqualTo(before.get(view));
        }
    }

    @Test
    void aReplayWhilePeopleChatServesReadsAndLosesNothing() throws Exception {
        World world = chatter("live");
        User admin = api.admin();
        awaitSettled(world);
        int before = history(world).size();

        AtomicBoolean stop = new AtomicBoolean();
        List<Long> acked = new CopyOnWriteArrayList<>();
        List<String> readFailures = new CopyOnWriteArrayList<>();
        AtomicInteger readsDuringReplay = new AtomicInteger();
        Thread sender = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                Response sent = api.post("/api/conversations/" + world.group + "/messages",
                        Map.of("clientMessageId", "during-" + n, "text", "during replay zebra" + n++),
                        world.bob.accessToken());
                if (sent.status() == 201) {
                    acked.add(sent.json().get("seq").asLong());
                }
                sleep(40);
            }
        });
        sender.start();
        sleep(300);

        Response started = api.post("/api/admin/replay", Map.of(), admin.accessToken());
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode status;
        do {
            Response read = api.get("/api/conversations/" + world.group + "/messages?limit=200",
                    world.alice.accessToken());
            if (read.status() != 200 || read.json().get("messages").size() < before) {
                readFailures.add(read.status() + " " + read.body());
            }
            readsDuringReplay.incrementAndGet();
            status = api.get("/api/admin/replay/" + id, admin.accessToken()).json();
        } while ("RUNNING".equals(status.get("state").asText()) && System.nanoTime() < deadline);
        sleep(300);
        stop.set(true);
        sender.join();

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("DONE");
        assertThat(readsDuringReplay.get()).isPositive();
        assertThat(readFailures).as("reads while the replay ran").isEmpty();
        assertThat(acked).isNotEmpty();
        long last = acked.get(acked.size() - 1);
        List<JsonNode> history = awaitHistory(world, h -> !h.isEmpty() && h.get(0).get("seq").asLong() >= last);
        Set<Long> seqs = new TreeSet<>();
        history.forEach(entry -> seqs.add(entry.get("seq").asLong()));
        assertThat(seqs).as("every acknowledged message in the rebuilt history, once").containsAll(acked);
        assertThat(seqs).hasSize(history.size());
        JsonNode hits = awaitJson(world.bob, "/api/search?q=zebra0", json -> json.get("hits").size() == 1);
        assertThat(hits.get("hits").get(0).get("seq").asLong()).isEqualTo(acked.get(0));

        // a second replay may start once the first is done; names are checked; admins only
        assertThat(api.post("/api/admin/replay", Map.of("processors", List.of("push")), admin.accessToken())
                .status()).isEqualTo(400);
        assertThat(api.get("/api/admin/replay/" + UUID.randomUUID(), admin.accessToken()).status()).isEqualTo(404);
        assertThat(api.post("/api/admin/replay", Map.of(), world.alice.accessToken()).status()).isEqualTo(403);
        JsonNode again = replay(admin, List.of("conversation-views"));
        assertThat(again.get("state").asText()).isEqualTo("DONE");
        assertThat(history(world)).hasSize(history.size());
    }

    // ---------------------------------------------------------------- the world

    private record World(User alice, User bob, User carol, String direct, String group, String word, int sent) {
    }

    /** A direct chat and a group with text, a mention, an edit, a deletion, a reaction and receipts. */
    private World chatter(String prefix) {
        User alice = api.signUp(prefix + "a");
        User bob = api.signUp(prefix + "b");
        User carol = api.signUp(prefix + "c");
        String word = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String direct = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()),
                alice.accessToken()).json().get("id").asText();
        String group = api.post("/api/conversations", Map.of("type", "GROUP", "title", "replay " + prefix,
                "memberIds", List.of(bob.id(), carol.id())), alice.accessToken()).json().get("id").asText();
        int sent = 0;
        for (int i = 0; i < 12; i++) {
            User from = i % 3 == 0 ? alice : i % 3 == 1 ? bob : carol;
            send(from, group, "group " + word + " " + i, i == 4 ? List.of(alice.id()) : null);
            send(i % 2 == 0 ? alice : bob, direct, "direct " + word + " " + i, null);
            sent++;
        }
        assertThat(api.put("/api/conversations/" + group + "/messages/2", Map.of("text", "edited " + word),
                bob.accessToken()).status()).isEqualTo(204);
        assertThat(api.delete("/api/conversations/" + group + "/messages/3", carol.accessToken()).status())
                .isEqualTo(204);
        assertThat(api.put("/api/conversations/" + group + "/messages/1/reaction", Map.of("emoji", "👍"),
                carol.accessToken()).status()).isEqualTo(204);
        assertThat(api.post("/api/conversations/" + group + "/receipts/delivered", Map.of("upToSeq", 8),
                carol.accessToken()).status()).isEqualTo(204);
        assertThat(api.post("/api/conversations/" + group + "/receipts/read", Map.of("upToSeq", 6),
                bob.accessToken()).status()).isEqualTo(204);
        assertThat(api.post("/api/conversations/" + direct + "/receipts/read", Map.of("upToSeq", 10),
                bob.accessToken()).status()).isEqualTo(204);
        return new World(alice, bob, carol, direct, group, word, sent);
    }

    private void send(User from, String conversation, String text, List<String> mentions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientMessageId", UUID.randomUUID().toString());
        body.put("text", text);
        if (mentions != null) {
            body.put("mentions", mentions);
        }
        Response response = api.post("/api/conversations/" + conversation + "/messages", body, from.accessToken());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private void awaitSettled(World world) {
        awaitJson(world.alice, "/api/search?q=" + world.word + "&size=100",
                json -> json.get("hits").size() == 2 * world.sent - 1); // one deleted
    }

    /** Projections have nothing left to do once two captures a second apart are the same. */
    private Map<String, JsonNode> stableCapture(World world, User analyst, User auditor, Instant from, Instant to) {
        Map<String, JsonNode> previous = capture(world, analyst, auditor, from, to);
        for (int i = 0; i < 30; i++) {
            sleep(1000);
            Map<String, JsonNode> now = capture(world, analyst, auditor, from, to);
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private long chainPosition;

    /** Every view the replay rebuilds, as a client, an analyst and an auditor read them. */
    private Map<String, JsonNode> capture(World world, User analyst, User auditor, Instant from, Instant to) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        for (User user : List.of(world.alice, world.bob, world.carol)) {
            views.put("inbox " + user.handle(), json(user, "/api/conversations"));
        }
        for (String conversation : List.of(world.direct, world.group)) {
            views.put("history " + conversation, json(world.alice, "/api/conversations/" + conversation
                    + "/messages?limit=200"));
            views.put("conversation " + conversation, json(world.alice, "/api/conversations/" + conversation));
            for (int seq = 1; seq <= 12; seq += 3) {
                views.put("receipts " + conversation + " " + seq, json(world.alice, "/api/conversations/"
                        + conversation + "/messages/" + seq + "/receipts"));
            }
        }
        views.put("search", json(world.bob, "/api/search?q=" + world.word + "&size=100&order=newest"));
        views.put("search mentions", json(world.alice, "/api/search?mentions=me"));
        String range = "from=" + from + "&to=" + to;
        views.put("volume", strip(json(analyst, "/api/analytics/volume?" + range + "&interval=1h")));
        views.put("top", strip(json(analyst, "/api/analytics/conversations/top?" + range + "&limit=50")));
        views.put("media mix", strip(json(analyst, "/api/analytics/media-mix?" + range)));
        views.put("receipt latency", strip(json(analyst, "/api/analytics/receipt-latency?" + range)));
        // each audit request is an event itself (AuditQueried), so the chain grows while this reads it: what must
        // match is the link of a position reached before the views were dropped
        JsonNode verify = json(auditor, "/api/audit/verify?position=" + chainPosition);
        views.put("audit verified", verify.get("verified"));
        views.put("audit link " + chainPosition, verify.get("link"));
        return views;
    }

    private Map<String, JsonNode> awaitCapture(World world, User analyst, User auditor, Instant from, Instant to,
                                               Map<String, JsonNode> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, JsonNode> views;
        do {
            views = capture(world, analyst, auditor, from, to);
            if (views.equals(expected)) {
                return views;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        return views;
    }

    /** Analytics answers carry how fresh they are; the figures are what must match. */
    private static JsonNode strip(JsonNode json) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = json.deepCopy();
        copy.remove(List.of("asOf", "lagMs", "lagEvents"));
        return copy;
    }

    private JsonNode replay(User admin, List<String> processors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("processors", processors);
        Response started = api.post("/api/admin/replay", body, admin.accessToken());
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("id").asText();
        return awaitJson(admin, "/api/admin/replay/" + id, json -> !"RUNNING".equals(json.get("state").asText()));
    }

    private List<JsonNode> history(World world) {
        List<JsonNode> entries = new ArrayList<>();
        json(world.alice, "/api/conversations/" + world.group + "/messages?limit=200").get("messages")
                .forEach(entries::add);
        return entries;
    }

    private List<JsonNode> awaitHistory(World world, Predicate<List<JsonNode>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> entries;
        do {
            entries = history(world);
            if (done.test(entries)) {
                return entries;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        return entries;
    }

    private User analyst(User admin) {
        return withRole(admin, "ANALYST");
    }

    private User auditor(User admin) {
        return withRole(admin, "AUDITOR");
    }

    private User withRole(User admin, String role) {
        User user = api.signUp(role.toLowerCase());
        assertThat(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of(role)),
                admin.accessToken()).status()).isEqualTo(204);
        return api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
    }

    private JsonNode json(User user, String path) {
        Response response = api.get(path, user.accessToken());
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode awaitJson(User user, String path, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode json;
        do {
            json = json(user, path);
            if (done.test(json)) {
                return json;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        return json;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
