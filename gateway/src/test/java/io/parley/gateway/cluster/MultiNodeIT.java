package io.parley.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.StompTestClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of the {@code cluster} profile behind nginx, driven like clients (README, "Several nodes"): live
 * delivery across nodes, a group spread over both, ten concurrent senders on both, presence and typing across
 * nodes, and a {@code kill -9} of node 1 under traffic. The methods run in order on one pair of nodes (starting
 * them is most of the time); the last one kills node 1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ClusterNodes cluster;
    private static ClusterNodes.Node node1;
    private static ClusterNodes.Node node2;
    private static String route1;
    private static String route2;
    private static Api api;
    private static final List<StompTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startTwoNodes() throws Exception {
        cluster = ClusterNodes.start(2);
        node1 = cluster.nodes.get(0);
        node2 = cluster.nodes.get(1);
        route1 = cluster.routeTo(node1);
        route2 = cluster.routeTo(node2);
        api = cluster.proxy();
    }

    @AfterAll
    static void stopEverything() {
        clients.forEach(StompTestClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private static StompTestClient connect(Api.User user, String route) {
        StompTestClient client = StompTestClient.connect(cluster.wsUrl(route), user.accessToken());
        clients.add(client);
        return client;
    }

    private static Map<String, Object> text(String cid, String clientMessageId) {
        return Map.of("conversationId", cid, "clientMessageId", clientMessageId, "text", clientMessageId);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String direct(Api.User a, Api.User b) {
        Api.Response created = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", b.id()), a.accessToken());
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    @Test
    @Order(1)
    void aMessageSentOnOneNodeArrivesLiveInOrderOnTheOther() {
        Api.User alice = api.signUp("alice");
        Api.User bob = api.signUp("bob");
        String cid = direct(alice, bob);
        StompTestClient onNode1 = connect(alice, route1);
        StompTestClient onNode2 = connect(bob, route2);
        for (int i = 1; i <= 5; i++) {
            onNode1.send("/app/messages.send", text(cid, "a-" + i));
        }
        for (int i = 1; i <= 5; i++) {
            onNode2.send("/app/messages.send", text(cid, "b-" + i));
        }
        List<JsonNode> atBob = onNode2.takeMessages(10, WAIT);
        List<JsonNode> atAlice = onNode1.takeMessages(10, WAIT);
        assertThat(texts(atBob).stream().filter(t -> t.startsWith("a-")).toList())
                .as("node 1's messages at bob on node 2, in order").containsExactly("a-1", "a-2", "a-3", "a-4", "a-5");
        assertThat(texts(atAlice).stream().filter(t -> t.startsWith("b-")).toList())
                .as("node 2's messages at alice on node 1, in order").containsExactly("b-1", "b-2", "b-3", "b-4", "b-5");
        assertThat(seqs(atBob)).as("one order on both nodes").isEqualTo(seqs(atAlice)).isSorted();
        assertThat(new TreeSet<>(seqs(atBob))).containsExactlyElementsOf(range(1, 10));
    }

    @Test
    @Order(3)
    void tenSendersOnBothNodesIntoOneGroupGiveOneGapFreeOrderDeliveredOncePerMember() throws Exception {
        List<Api.User> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(api.signUp("g" + i));
        }
        Api.Response group = api.post("/api/conversations", Map.of("type", "GROUP", "title", "both nodes",
                "memberIds", users.subList(1, 10).stream().map(Api.User::id).toList()), users.get(0).accessToken());
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        String gid = group.json().get("id").asText();
        List<StompTestClient> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(connect(users.get(i), i % 2 == 0 ? route1 : route2));
        }
        int perSender = 5;
        ExecutorService senders = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 10; i++) {
            StompTestClient member = members.get(i);
            int sender = i;
            senders.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < perSender; k++) {
                    member.send("/app/messages.send", text(gid, "s" + sender + "-" + k));
                }
            });
        }
        go.countDown();
        senders.shutdown();
        assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        int total = 10 * perSender;
        for (int i = 0; i < 10; i++) {
            List<JsonNode> acks = members.get(i).take("acks", perSender, WAIT);
            assertThat(acks).as("acks of sender " + i).hasSize(perSender).noneMatch(a -> a.has("error"));
        }
        Map<Long, String> order = null;
        for (int i = 0; i < 10; i++) {
            List<JsonNode> frames = members.get(i).takeMessages(total, WAIT);
            assertThat(members.get(i).nextMessage(Duration.ofSeconds(1))).as("nothing twice at member " + i).isNull();
            assertThat(frames).as("member " + i + " (node " + (i % 2 + 1) + ")").hasSize(total);
            assertThat(seqs(frames)).as("live in seq order at member " + i).isSorted().doesNotHaveDuplicates();
            Map<Long, String> seen = new TreeMap<>();
            frames.forEach(f -> seen.put(f.get("seq").asLong(), f.get("text").asText()));
            if (order == null) {
                order = seen;
            }
            assertThat(seen).as("the order member " + i + " saw").isEqualTo(order);
        }
        assertThat(order.keySet()).as("gap-free seqs").containsExactlyElementsOf(range(order.keySet().iterator().next(), total));
        assertThat(new TreeSet<>(order.values())).hasSize(total);
        JsonNode history = api.get("/api/conversations/" + gid + "/messages?after=0&limit=200",
                users.get(0).accessToken()).json().get("messages");
        List<Long> stored = new ArrayList<>();
        history.forEach(e -> {
            if (e.hasNonNull("text")) {
                stored.add(e.get("seq").asLong());
            }
        });
        assertThat(stored).as("history").containsExactlyElementsOf(order.keySet());
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?"
                + " AND payloadtype LIKE '%MessageSent'", gid)).as("MessageSent events stored").isEqualTo(total);
    }

    @Test
    @Order(2)
    void aMemberAddedOnOneNodeSendsAtOnceOnTheOtherThatHadTheGroupCached() {
        Api.User alice = api.signUp("cache_a");
        Api.User bob = api.signUp("cache_b");
        Api.User carol = api.signUp("cache_c");
        Api.Response group = node1.api().post("/api/conversations", Map.of("type", "GROUP", "title", "cached",
                "memberIds", List.of(bob.id())), alice.accessToken());
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        String gid = group.json().get("id").asText();
        StompTestClient aliceOnNode1 = connect(alice, route1);
        aliceOnNode1.send("/app/messages.send", text(gid, "before"));
        assertThat(aliceOnNode1.take("acks", 1, WAIT)).noneMatch(a -> a.has("error")); // node 1 holds it cached

        Api.Response added = node2.api().post("/api/conversations/" + gid + "/members",
                Map.of("userId", carol.id()), alice.accessToken());
        assertThat(added.status()).as(added.body()).isEqualTo(204);
        StompTestClient carolOnNode1 = connect(carol, route1);
        carolOnNode1.send("/app/messages.send", text(gid, "carol-1"));
        assertThat(carolOnNode1.take("acks", 1, WAIT)).as("node 1 checks its cached copy against the store")
                .singleElement().satisfies(ack -> assertThat(ack.has("error")).as(ack.toString()).isFalse());
    }

    @Test
    @Order(4)
    void presenceAndTypingCrossNodes() {
        Api.User ann = api.signUp("ann");
        Api.User ben = api.signUp("ben");
        String cid = direct(ann, ben);
        StompTestClient annOnNode1 = connect(ann, route1);
        StompTestClient benOnNode2 = connect(ben, route2);
        Api viaNode1 = node1.api();
        // presence answers contacts only, and contacts come from the conversation views: wait for them to hold
        // the new chat (its segment may be on either node), then ask
        Api.Response presence = viaNode1.get("/api/users/" + ben.id() + "/presence", ann.accessToken());
        for (long deadline = System.nanoTime() + WAIT.toNanos(); presence.status() == 404 && System.nanoTime() < deadline; ) {
            sleep(100);
            presence = viaNode1.get("/api/users/" + ben.id() + "/presence", ann.accessToken());
        }
        assertThat(presence.status()).as(presence.body()).isEqualTo(200);
        assertThat(presence.json().get("online").asBoolean()).as("ben, connected to node 2 only, seen from node 1")
                .isTrue();

        benOnNode2.send("/app/typing", Map.of("conversationId", cid, "typing", true));
        JsonNode typing = annOnNode1.next("typing", WAIT);
        assertThat(typing).as("ben's typing (node 2) at ann (node 1)").isNotNull();
        assertThat(typing.get("userId").asText()).isEqualTo(ben.id());
        assertThat(typing.get("typing").asBoolean()).isTrue();

        annOnNode1.drain("presence", Duration.ofMillis(500));
        benOnNode2.close();
        JsonNode offline = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (offline == null && System.nanoTime() < deadline) {
            JsonNode frame = annOnNode1.next("presence", Duration.ofSeconds(1));
            if (frame != null && frame.get("userId").asText().equals(ben.id()) && !frame.get("online").asBoolean()) {
                offline = frame;
            }
        }
        assertThat(offline).as("ben leaving node 2, told to ann on node 1").isNotNull();
        assertThat(viaNode1.get("/api/users/" + ben.id() + "/presence", ann.accessToken()).json().get("online")
                .asBoolean()).isFalse();
    }

    @Test
    @Order(5)
    void eachViewProcessorHandlesEachEventOnceAcrossBothNodes() throws Exception {
        Map<String, Map<Integer, String>> owners = segmentOwners();
        for (String processor : List.of("conversation-views", "message-search", "account-views")) {
            assertThat(owners.get(processor)).as(processor + " segments").containsOnlyKeys(0, 1);
        }
        // the segments of each processor are held by one node at a time (a claim is exclusive); spread over both
        Set<String> holders = ConcurrentHashMap.newKeySet();
        owners.values().forEach(bySegment -> holders.addAll(bySegment.values()));
        assertThat(holders).as("claims held by both nodes").anyMatch(o -> o.startsWith(node1.pid() + "@"))
                .anyMatch(o -> o.startsWith(node2.pid() + "@"));

        // Exactly once, counted: over a burst of traffic on both nodes, the events each processor's segments read
        // (Axon's eventProcessor.ingestedCounter, handled or ignored, summed over both nodes) are the events stored
        // times its segments; live delivery runs on every node, so each node reads each event once.
        String admin = node1.api().admin().accessToken();
        Api.User eve = api.signUp("eve");
        Api.User fay = api.signUp("fay");
        String cid = direct(eve, fay);
        Map<String, Long> before = quietCounts(owners.keySet(), admin);
        long storedBefore = countAll("SELECT count(*) FROM domainevententry");
        for (int i = 0; i < 20; i++) {
            Api.User sender = i % 2 == 0 ? eve : fay;
            Api via = i % 2 == 0 ? node1.api() : node2.api();
            Api.Response sent = via.post("/api/conversations/" + cid + "/messages",
                    Map.of("clientMessageId", "burst-" + i, "text", "burst " + i), sender.accessToken());
            assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Long> expected;
        Map<String, Long> read;
        do {
            Thread.sleep(500);
            long stored = countAll("SELECT count(*) FROM domainevententry") - storedBefore;
            expected = new TreeMap<>();
            for (String processor : owners.keySet()) {
                expected.put(processor, stored * owners.get(processor).size());
            }
            expected.put(LIVE + "@node-1", stored);
            expected.put(LIVE + "@node-2", stored);
            Map<String, Long> now = counts(owners.keySet(), admin);
            read = new TreeMap<>();
            for (String key : now.keySet()) {
                read.put(key, now.get(key) - before.getOrDefault(key, 0L));
            }
        } while (!read.equals(expected) && System.nanoTime() < deadline);
        assertThat(read).as("events read per processor (segments x events stored), live delivery per node")
                .isEqualTo(expected);
    }

    private static final String LIVE = "live-delivery";

    /** {@link #counts} once two readings a second apart agree: every processor has read all there is. */
    private static Map<String, Long> quietCounts(Set<String> processors, String admin) throws InterruptedException {
        Map<String, Long> last = counts(processors, admin);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            Map<String, Long> now = counts(processors, admin);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the processors never settled: " + last);
    }

    /** Events read per processor, summed over both nodes; live delivery per node ({@code live-delivery@node-N}). */
    private static Map<String, Long> counts(Set<String> processors, String admin) {
        Map<String, Long> counts = new TreeMap<>();
        List<ClusterNodes.Node> nodes = List.of(node1, node2);
        for (int n = 0; n < nodes.size(); n++) {
            for (String processor : processors) {
                counts.merge(processor, ingested(nodes.get(n), processor, admin), Long::sum);
            }
            counts.put(LIVE + "@node-" + (n + 1), ingested(nodes.get(n), LIVE, admin));
        }
        return counts;
    }

    private static long ingested(ClusterNodes.Node node, String processor, String admin) {
        Api.Response metric = node.api().get("/actuator/metrics/eventProcessor.ingestedCounter?tag=processorName:"
                + processor, admin);
        if (metric.status() == 404) {
            return 0; // this node's segments of it have read nothing yet
        }
        assertThat(metric.status()).as(metric.body()).isEqualTo(200);
        for (JsonNode measurement : metric.json().get("measurements")) {
            if (measurement.get("statistic").asText().equals("COUNT")) {
                return Math.round(measurement.get("value").asDouble());
            }
        }
        throw new AssertionError("no COUNT in " + metric.body());
    }

    @Test
    @Order(6)
    void killingNodeOneUnderTrafficLosesNothingAndNodeTwoTakesItsSegments() throws Exception {
        Api.User cat = api.signUp("cat");
        Api.User dan = api.signUp("dan");
        String cid = direct(cat, dan);
        StompTestClient catClient = connect(cat, route1);
        StompTestClient danClient = connect(dan, route2);
        Map<String, Long> acked = new ConcurrentHashMap<>();
        int each = 30;
        long killedAt = 0;
        Map<String, Object> unacked = new LinkedHashMap<>();
        for (int i = 0; i < each; i++) {
            if (i == each / 2) {
                node1.process().destroyForcibly();
                node1.process().waitFor(10, TimeUnit.SECONDS);
                killedAt = System.nanoTime();
            }
            String c = "cat-" + i;
            String d = "dan-" + i;
            unacked.put(c, c);
            if (catClient.isConnected()) {
                try {
                    catClient.send("/app/messages.send", text(cid, c));
                } catch (RuntimeException lost) {
                    // the socket died with node 1: resent after the reconnect
                }
            }
            danClient.send("/app/messages.send", text(cid, d));
            Thread.sleep(50);
        }
        collectAcks(catClient, acked);
        // cat's socket ended with node 1; she reconnects through nginx (now to node 2) and resends what had no ack
        long waitClosed = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (catClient.isConnected() && System.nanoTime() < waitClosed) {
            Thread.sleep(100);
        }
        StompTestClient catAgain = connect(cat, route1);
        for (String c : unacked.keySet()) {
            if (!acked.containsKey(c)) {
                catAgain.send("/app/messages.send", text(cid, c));
            }
        }
        long resent = unacked.keySet().stream().filter(c -> !acked.containsKey(c)).count();
        acked.putAll(collect(catAgain, (int) resent));
        acked.putAll(collect(danClient, each));
        assertThat(acked).as("every message acknowledged").hasSize(2 * each);

        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?"
                + " AND payloadtype LIKE '%MessageSent'", cid)).as("stored once each").isEqualTo(2 * each);
        // history is the conversation view: node 1's segment of it moves to node 2 first (claim timeout)
        List<String> history = new ArrayList<>();
        List<Long> historySeqs = new ArrayList<>();
        long readUntil = System.nanoTime() + WAIT.toNanos();
        do {
            history.clear();
            historySeqs.clear();
            JsonNode page = api.get("/api/conversations/" + cid + "/messages?after=0&limit=200", dan.accessToken()).json();
            page.get("messages").forEach(e -> {
                history.add(e.get("text").asText());
                historySeqs.add(e.get("seq").asLong());
            });
            if (history.size() >= 2 * each) {
                break;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < readUntil);
        assertThat(history).as("every acknowledged message in history exactly once")
                .containsExactlyInAnyOrderElementsOf(acked.keySet());
        assertThat(historySeqs).containsExactlyElementsOf(range(1, 2 * each));

        // the reconnected client resyncs from nothing: the same messages, no gap
        JsonNode sync = api.post("/api/sync", Map.of("since", Map.of(cid, 0)), cat.accessToken()).json();
        List<Long> synced = new ArrayList<>();
        sync.get("conversations").forEach(c -> c.get("entries").forEach(e -> {
            if (e.hasNonNull("text")) {
                synced.add(e.get("seq").asLong());
            }
        }));
        assertThat(synced).containsExactlyElementsOf(range(1, 2 * each));

        // node 1's segments are claimed by node 2 within the claim timeout (5 s) plus a claim interval and a batch
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(20);
        Map<String, Map<Integer, String>> owners;
        do {
            owners = segmentOwners();
            if (owners.values().stream().allMatch(s -> s.values().stream().allMatch(o -> o.startsWith(node2.pid() + "@")))) {
                break;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(owners).allSatisfy((processor, bySegment) -> assertThat(bySegment.values())
                .as(processor + " claimed by node 2 (" + tookMillis + " ms after the kill)")
                .allMatch(o -> o.startsWith(node2.pid() + "@")));
        System.out.println("MultiNodeIT: node 1's segments all claimed by node 2 " + tookMillis + " ms after kill -9");
    }

    private static void collectAcks(StompTestClient client, Map<String, Long> into) {
        for (JsonNode ack : client.drain("acks", Duration.ofMillis(500))) {
            if (!ack.has("error")) {
                into.put(ack.get("clientMessageId").asText(), ack.get("seq").asLong());
            }
        }
    }

    private static Map<String, Long> collect(StompTestClient client, int count) {
        Map<String, Long> acks = new HashMap<>();
        for (JsonNode ack : client.take("acks", count, WAIT)) {
            assertThat(ack.has("error")).as(ack.toString()).isFalse();
            acks.put(ack.get("clientMessageId").asText(), ack.get("seq").asLong());
        }
        return acks;
    }

    /** processor -> segment -> owner, from the shared token store (MongoDB). */
    private static Map<String, Map<Integer, String>> segmentOwners() {
        Map<String, Map<Integer, String>> owners = new TreeMap<>();
        try (MongoClient mongo = MongoClients.create(cluster.servers.mongoConnectionString())) {
            for (Document token : mongo.getDatabase("parley").getCollection("trackingtokens").find()) {
                String processor = token.getString("processorName");
                if (processor.contains("@") || processor.startsWith("__")) {
                    continue;
                }
                owners.computeIfAbsent(processor, p -> new TreeMap<>())
                        .put(token.getInteger("segment"), String.valueOf(token.getString("owner")));
            }
        }
        return owners;
    }

    private static long countAll(String sql) throws Exception {
        var pg = cluster.servers.awaitPostgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long count(String sql, String parameter) throws Exception {
        var pg = cluster.servers.awaitPostgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<String> texts(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("text").asText()).toList();
    }

    private static List<Long> seqs(List<JsonNode> frames) {
        return frames.stream().map(f -> f.get("seq").asLong()).toList();
    }

    private static List<Long> range(long from, long count) {
        List<Long> range = new ArrayList<>();
        for (long s = from; s < from + count; s++) {
            range.add(s);
        }
        return range;
    }
}
