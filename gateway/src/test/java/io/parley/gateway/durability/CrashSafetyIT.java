package io.parley.gateway.durability;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.embedded.process.LinuxProcesses;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.PlatformProcess;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the parts (README, "Reliability and security", "Crash safety"). The platform runs in its own
 * process with its own PostgreSQL and Elasticsearch, three pairs of STOMP clients send steadily (each sender waits
 * for the answer to a send, and resends the same clientMessageId after an error, as an app does), and then:
 * <ul>
 *   <li>PostgreSQL alone is killed with SIGKILL: every send meanwhile is answered within 5 s, with an ack error of
 *   type {@code store-unavailable} and never an ack; REST answers 503 problem+json with {@code Retry-After}; the
 *   supervisor restarts PostgreSQL (crash recovery on the same data directory and port) and sends succeed again,
 *   with no restart of the JVM;</li>
 *   <li>Elasticsearch alone is killed with SIGKILL: health shows it DOWN, the supervisor restarts it, sends go on
 *   unaffected, and the messages sent while it was down become searchable (the search processor retried; nothing
 *   was parked).</li>
 * </ul>
 * At the end every acknowledged message is in history exactly once at its acked seq, seqs are gap-free, every
 * client's resync through {@code GET /api/sync} from what it received live fills every gap with no duplicate, and
 * {@code parley.embedded.restarts} counts one restart of each part. The killed pids are the stack's own, read from
 * its health details ({@code embeddedStack}), never guessed. (The kill -9 of the whole platform is
 * {@link KillNineIT}'s.)
 */
class CrashSafetyIT {

    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
    private static final String SEND = "/app/messages.send";
    private static final String UNAVAILABLE = "https://parley.io/problems/store-unavailable";
    /** Between two sends of one sender: six senders, about 30 messages a second in all. */
    private static final long PACE_MS = 200;

    /** Words only this run uses, so history, search and sync can be counted exactly. */
    private final String run = "crash" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final AtomicBoolean stop = new AtomicBoolean();
    /** The PostgreSQL outage as the test saw it: from the kill to the health showing the restart done. */
    private volatile long pgKilled;
    private volatile long pgBack;

    /** One answer to one SEND: an ack (seq) or an error (type). */
    record Answer(String clientMessageId, long sentNanos, long answeredNanos, Long seq, String errorType) {
        Duration took() {
            return Duration.ofNanos(answeredNanos - sentNanos);
        }
    }

    /** A user with one STOMP session sending to its direct conversation. */
    final class Sender implements Runnable {
        final String name;
        final Api.User user;
        final String conversationId;
        final StompTestClient client;
        final List<Answer> answers = new CopyOnWriteArrayList<>();
        final Map<String, Long> acked = new java.util.concurrent.ConcurrentHashMap<>();
        volatile Throwable crashed;

        Sender(String name, Api.User user, String conversationId, StompTestClient client) {
            this.name = name;
            this.user = user;
            this.conversationId = conversationId;
            this.client = client;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; !stop.get(); i++) {
                    String clientMessageId = run + "-" + name + "-" + i;
                    sendUntilAcked(clientMessageId);
                    Thread.sleep(PACE_MS);
                }
            } catch (Throwable t) {
                crashed = t;
            }
        }

        /** Sends, and after an error resends the same clientMessageId, until acked (even once told to stop). */
        private void sendUntilAcked(String clientMessageId) throws InterruptedException {
            long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < giveUp) {
                long sent = System.nanoTime();
                client.send(SEND, Map.of("conversationId", conversationId, "clientMessageId", clientMessageId,
                        "text", run + " " + clientMessageId));
                JsonNode frame = client.next("acks", Duration.ofSeconds(15));
                long answered = System.nanoTime();
                if (frame == null) {
                    answers.add(new Answer(clientMessageId, sent, answered, null, "no answer within 15 s"));
                    continue;
                }
                if (!clientMessageId.equals(frame.path("clientMessageId").asText())) {
                    answers.add(new Answer(clientMessageId, sent, answered, null, "answer for another send: " + frame));
                    continue;
                }
                if (frame.has("error")) {
                    answers.add(new Answer(clientMessageId, sent, answered, null, frame.path("error").path("type").asText()));
                    Thread.sleep(250);
                    continue;
                }
                long seq = frame.get("seq").asLong();
                answers.add(new Answer(clientMessageId, sent, answered, seq, null));
                acked.put(clientMessageId, seq);
                return;
            }
            throw new AssertionError(name + ": " + clientMessageId + " never acked in 90 s");
        }

        long ackedCount() {
            return acked.size();
        }
    }

    @Test
    void killingPostgresOrElasticsearchLosesNothingAcknowledgedAndTheyComeBack() throws Exception {
        Path dataDir = PlatformProcess.newDataDir("crash");
        int httpPort = PlatformProcess.freePort();
        try (PlatformProcess platform = PlatformProcess.launch(dataDir, httpPort,
                "--chat.security.admin-password=" + Api.ADMIN_PASSWORD,
                "--chat.search.heap=256m",
                "--logging.level.io.parley=INFO",
                // a restart waits 3 s, a request waits at most 1.5 s for a connection: sends are refused meanwhile
                "--chat.supervision.initial-backoff=3s",
                "--chat.postgres.connection-timeout=1500ms")) {
            long t0 = System.nanoTime();
            platform.awaitUp(Duration.ofMinutes(4));
            report("platform up", t0);
            Api api = platform.api();
            String admin = api.admin().accessToken();
            HealthWatch health = new HealthWatch(api, admin);

            List<Sender> senders = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                Api.User a = api.signUp("cra");
                Api.User b = api.signUp("crb");
                Api.Response opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", b.id()),
                        a.accessToken());
                assertThat(opened.status()).as(opened.body()).isIn(200, 201);
                String cid = opened.json().get("id").asText();
                senders.add(new Sender("p" + p + "a", a, cid, StompTestClient.connect(httpPort, a.accessToken())));
                senders.add(new Sender("p" + p + "b", b, cid, StompTestClient.connect(httpPort, b.accessToken())));
            }
            List<Thread> threads = new ArrayList<>();
            for (Sender s : senders) {
                Thread t = new Thread(s, "sender-" + s.name);
                t.start();
                threads.add(t);
            }
            health.startWatching();
            try {
                awaitEverySender(senders, 5, Duration.ofSeconds(30));

                // (b) PostgreSQL alone
                JsonNode pg = health.part("postgres");
                assertThat(pg.path("state").asText()).isEqualTo("RUNNING");
                long pgPid = pg.get("pid").asLong();
                int pgPort = pg.get("port").asInt();
                assertThat(LinuxProcesses.commandLine(pgPid)).contains("postgres").contains(dataDir.toString());
                pgKilled = System.nanoTime();
                ProcessHandle.of(pgPid).orElseThrow().destroyForcibly();
                await("the postmaster to die", () -> !LinuxProcesses.isAlive(pgPid), Duration.ofSeconds(10));
                PostgresProbe probe = PostgresProbe.start(pgPort);
                // its backends outlive it for a moment and may still commit (durably: the WAL is flushed at commit,
                // and recovery replays it) what they were doing; PostgreSQL is gone once none is left
                Path pgData = dataDir.resolve("postgres/data");
                await("the old backends to exit", () -> LinuxProcesses.workingIn(pgData).isEmpty(), Duration.ofSeconds(3));
                long pgGone = System.nanoTime();

                Sender rester = senders.get(0);
                String restId = run + "-rest";
                long r0 = System.nanoTime();
                Api.Response refused = api.post("/api/conversations/" + rester.conversationId + "/messages",
                        Map.of("clientMessageId", restId, "text", run + " " + restId), rester.user.accessToken());
                Duration restTook = Duration.ofNanos(System.nanoTime() - r0);
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.isProblem()).isTrue();
                assertThat(refused.json().path("type").asText()).isEqualTo(UNAVAILABLE);
                assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("5");
                assertThat(restTook).isLessThan(ANSWER_BOUND);

                JsonNode restarted = await("PostgreSQL restarted by the supervisor", () -> {
                    JsonNode p = health.part("postgres");
                    return p.path("restarts").asLong() == 1 && "RUNNING".equals(p.path("state").asText()) ? p : null;
                }, Duration.ofSeconds(60));
                pgBack = System.nanoTime();
                report("PostgreSQL killed -> restarted", pgKilled);
                assertThat(restarted.path("crashes").asLong()).isEqualTo(1);
                assertThat(restarted.path("port").asInt()).isEqualTo(pgPort);
                assertThat(restarted.path("pid").asLong()).isNotEqualTo(pgPid);
                assertThat(LinuxProcesses.isAlive(restarted.path("pid").asLong())).isTrue();
                probe.awaitAccepting(Duration.ofSeconds(30));
                // (a health call during the outage waits for a connection per part reading PostgreSQL, so it
                // answers once PostgreSQL is back: the crash shows in the details that stay)
                assertThat(java.time.Instant.parse(restarted.path("lastCrash").asText()))
                        .isAfter(java.time.Instant.now().minus(Duration.ofNanos(System.nanoTime() - pgKilled + 1_000_000_000L)));

                Map<Sender, Long> before = counts(senders);
                awaitEverySenderMore(senders, before, 3, Duration.ofSeconds(30));
                Api.Response resent = api.post("/api/conversations/" + rester.conversationId + "/messages",
                        Map.of("clientMessageId", restId, "text", run + " " + restId), rester.user.accessToken());
                assertThat(resent.status()).as(resent.body()).isEqualTo(201);
                rester.acked.put(restId, resent.json().get("seq").asLong());

                // sends during the outage: refused fast with the clear type, never acked while PostgreSQL was down
                List<Answer> all = senders.stream().flatMap(s -> s.answers.stream()).toList();
                List<Answer> refusedSends = all.stream().filter(a -> a.errorType() != null).toList();
                assertThat(refusedSends).as("sends refused while PostgreSQL was down").isNotEmpty();
                assertThat(refusedSends).allSatisfy(a -> {
                    assertThat(a.errorType()).isEqualTo(UNAVAILABLE);
                    assertThat(a.sentNanos()).isBetween(pgKilled - Duration.ofSeconds(1).toNanos(), pgBack);
                });
                long lastRefusal = probe.lastRefusedNanos();
                assertThat(all).filteredOn(a -> a.seq() != null && a.sentNanos() > pgGone
                                && a.answeredNanos() < lastRefusal)
                        .as("acks for sends made and answered while PostgreSQL refused connections").isEmpty();

                // (c) Elasticsearch alone
                JsonNode es = health.part("elasticsearch");
                assertThat(es.path("state").asText()).isEqualTo("RUNNING");
                long esPid = es.get("pid").asLong();
                assertThat(LinuxProcesses.commandLine(esPid)).contains(dataDir.toString());
                long esKilled = System.nanoTime();
                ProcessHandle.of(esPid).orElseThrow().destroyForcibly();
                await("the node to die", () -> !LinuxProcesses.isAlive(esPid), Duration.ofSeconds(10));
                Api.Response search = api.get("/api/search?q=" + run, rester.user.accessToken());
                assertThat(search.status()).as(search.body()).isEqualTo(503);
                assertThat(search.json().path("type").asText()).isEqualTo(UNAVAILABLE);
                await("health elasticsearch DOWN", () -> health.sawComponent("elasticsearch", "DOWN", esKilled),
                        Duration.ofSeconds(20));
                JsonNode esBack = await("Elasticsearch restarted by the supervisor", () -> {
                    JsonNode p = health.part("elasticsearch");
                    return p.path("restarts").asLong() == 1 && "RUNNING".equals(p.path("state").asText())
                            && "UP".equals(health.component("elasticsearch")) ? p : null;
                }, Duration.ofSeconds(180));
                report("Elasticsearch killed -> restarted, health UP", esKilled);
                assertThat(esBack.path("pid").asLong()).isNotEqualTo(esPid);
                assertThat(health.sawPart("elasticsearch", "RESTARTING", esKilled)).isTrue();
                before = counts(senders);
                awaitEverySenderMore(senders, before, 3, Duration.ofSeconds(30));
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join(Duration.ofSeconds(100).toMillis());
                }
                health.stopWatching();
            }
            for (Sender s : senders) {
                assertThat(s.crashed).as(s.name + " failed").isNull();
                assertThat(s.answers).as(s.name + ": every send answered within " + ANSWER_BOUND.toSeconds() + " s")
                        .allSatisfy(a -> assertThat(a.took()).isLessThan(ANSWER_BOUND));
                assertThat(s.answers).as(s.name + ": only acks, and store-unavailable errors while PostgreSQL was down")
                        .filteredOn(a -> a.errorType() != null)
                        .allSatisfy(a -> {
                            assertThat(a.errorType()).isEqualTo(UNAVAILABLE);
                            assertThat(a.sentNanos()).isBetween(pgKilled - Duration.ofSeconds(1).toNanos(), pgBack);
                        });
            }

            Map<String, Map<String, Long>> ackedByConversation = new LinkedHashMap<>();
            for (Sender s : senders) {
                ackedByConversation.computeIfAbsent(s.conversationId, k -> new HashMap<>()).putAll(s.acked);
            }
            for (Map.Entry<String, Map<String, Long>> c : ackedByConversation.entrySet()) {
                String cid = c.getKey();
                Sender reader = senders.stream().filter(s -> s.conversationId.equals(cid)).findFirst().orElseThrow();
                List<JsonNode> history = history(api, cid, reader.user.accessToken());
                List<Long> seqs = history.stream().map(e -> e.get("seq").asLong()).toList();
                long last = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
                assertThat(seqs).as("history of " + cid + " is gap-free").isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
                Map<String, Long> stored = new HashMap<>();
                for (JsonNode e : history) {
                    String cmid = e.path("clientMessageId").asText();
                    assertThat(stored.put(cmid, e.get("seq").asLong())).as(cmid + " stored once").isNull();
                }
                assertThat(stored).as("history of " + cid + ": every acked message exactly once, at its acked seq, "
                        + "and nothing else").isEqualTo(c.getValue());

                // search found everything, including what was sent while Elasticsearch was down
                Set<Long> expected = new TreeSet<>(seqs);
                long searching = System.nanoTime();
                await("search to find every message of " + cid, () -> searchSeqs(api, cid,
                        reader.user.accessToken()).equals(expected), Duration.ofSeconds(90));
                report("search found all " + expected.size() + " messages of " + cid, searching);

                // each client resyncs from what it received live
                for (Sender s : senders) {
                    if (s.conversationId.equals(cid)) {
                        resync(api, s, last);
                    }
                }
            }

            JsonNode deadLetters = health.component("deadLetters", "details");
            deadLetters.fields().forEachRemaining(q ->
                    assertThat(q.getValue().asLong()).as("parked in " + q.getKey()).isZero());
            String prometheus = api.get("/actuator/prometheus", admin).body();
            assertThat(prometheus).containsPattern("parley_embedded_restarts_total\\{[^}]*part=\"postgres\"[^}]*} 1\\.0")
                    .containsPattern("parley_embedded_restarts_total\\{[^}]*part=\"elasticsearch\"[^}]*} 1\\.0");
        }
    }

    private static void report(String what, long sinceNanos) {
        System.out.printf("CrashSafetyIT: %s in %.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
    }

    /** What the client saw live (by seq), then {@code GET /api/sync} from its last contiguous seq to the end. */
    private static void resync(Api api, Sender s, long last) {
        Set<Long> live = new HashSet<>();
        for (JsonNode frame : s.client.drain("messages", Duration.ofMillis(200))) {
            if (s.conversationId.equals(frame.path("conversationId").asText()) && frame.path("seq").asLong() > 0) {
                live.add(frame.path("seq").asLong());
            }
        }
        long held = 0;
        while (live.contains(held + 1)) {
            held++;
        }
        List<Long> synced = new ArrayList<>();
        long since = held;
        for (int round = 0; round < 100; round++) {
            Api.Response r = api.get("/api/sync?since=" + s.conversationId + ":" + since, s.user.accessToken());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode conversation = null;
            for (JsonNode c : r.json().path("conversations")) {
                if (s.conversationId.equals(c.path("id").asText())) {
                    conversation = c;
                }
            }
            if (conversation == null) {
                // nothing after the seqs the client holds: the conversation is left out
                break;
            }
            conversation.path("entries").forEach(e -> synced.add(e.get("seq").asLong()));
            since = conversation.path("upToSeq").asLong();
            if (!conversation.path("hasMore").asBoolean()) {
                break;
            }
        }
        assertThat(synced).as(s.name + ": sync after seq " + held + " (received live: " + live.size() + ")")
                .isEqualTo(LongStream.rangeClosed(held + 1, last).boxed().toList());
    }

    private static List<JsonNode> history(Api api, String cid, String token) {
        List<JsonNode> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            Api.Response page = api.get("/api/conversations/" + cid + "/messages?after=" + after + "&limit=200", token);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode e : page.json().path("messages")) {
                entries.add(e);
                after = e.get("seq").asLong();
            }
            if (!page.json().path("hasMore").asBoolean()) {
                return entries;
            }
        }
    }

    private Set<Long> searchSeqs(Api api, String cid, String token) {
        Set<Long> seqs = new TreeSet<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            Api.Response r = api.get("/api/search?q=" + run + "&conversation=" + cid + "&order=newest&size=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token);
            if (r.status() != 200) {
                return Set.of();
            }
            r.json().path("hits").forEach(h -> seqs.add(h.get("seq").asLong()));
            JsonNode next = r.json().path("nextCursor");
            if (next.isMissingNode() || next.isNull() || r.json().path("hits").isEmpty()) {
                return seqs;
            }
            cursor = next.asText();
        }
        return seqs;
    }

    private static Map<Sender, Long> counts(List<Sender> senders) {
        Map<Sender, Long> counts = new HashMap<>();
        senders.forEach(s -> counts.put(s, s.ackedCount()));
        return counts;
    }

    private static void awaitEverySender(List<Sender> senders, int acks, Duration timeout) {
        await("every sender acked " + acks, () -> senders.stream().allMatch(s -> s.ackedCount() >= acks), timeout);
    }

    private static void awaitEverySenderMore(List<Sender> senders, Map<Sender, Long> before, int more, Duration timeout) {
        await("every sender acked " + more + " more", () -> senders.stream()
                .allMatch(s -> s.ackedCount() >= before.get(s) + more), timeout);
    }

    private static void await(String what, BooleanSupplier condition, Duration timeout) {
        await(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null, timeout);
    }

    private static <T> T await(String what, java.util.function.Supplier<T> probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
