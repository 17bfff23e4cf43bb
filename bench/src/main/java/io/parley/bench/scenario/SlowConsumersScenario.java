package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stats.Machine;
import io.parley.bench.stats.Metric;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code slow-consumers} (issue 15): do clients that stop reading their sockets slow anyone else or grow the
 * server? {@code --bystanders} pairs exchange probes ({@code --probe-rate} per pair per second) through three
 * phases of {@code --phase} seconds each: before, during and after. During, {@code --paused} members of one
 * group connect, subscribe and then stop reading (the JDK's WebSocket client reads only what is demanded, and
 * they demand nothing more), while the group's admin sends {@code --text-chars}-character messages at
 * {@code --flood-rate}/s. Figures: the bystanders' round trip per phase, how many paused sessions the server
 * closed (seen when they read again at the end of the phase), the admin's acks, and the server's RSS before,
 * at its peak and after, and its heap after a full GC before, at the end of the flood (paused sessions
 * still open, if the server kept them) and after.
 */
public final class SlowConsumersScenario extends Scenario {

    private final Metric[] rtt = {new Metric("rtt_before"), new Metric("rtt_during"), new Metric("rtt_after")};
    private volatile int phase;
    private final AtomicLong probesSent = new AtomicLong();
    private final AtomicLong probesReceived = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public SlowConsumersScenario(Options o) {
        super("slow-consumers", o);
    }

    @Override
    protected void run() throws Exception {
        int pairs = o.integer("bystanders", 5);
        int pausedCount = o.integer("paused", 12);
        double probeRate = o.dbl("probe-rate", 5);
        double floodRate = o.dbl("flood-rate", 40);
        int textChars = o.integer("text-chars", 40_000);
        long phaseNanos = seconds("phase", 15);

        List<User> users = users(1 + pausedCount + 2 * pairs);
        User admin = users.get(0);
        List<User> pausedUsers = users.subList(1, 1 + pausedCount);
        String group = api.group(admin, pausedUsers, "slow consumers");
        List<String> directs = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            directs.add(api.direct(users.get(1 + pausedCount + 2 * p), users.get(2 + pausedCount + 2 * p)));
        }
        List<User> healthy = new ArrayList<>();
        healthy.add(admin);
        healthy.addAll(users.subList(1 + pausedCount, users.size()));
        List<Conn> conns = connectAll(healthy);
        Conn sender = conns.get(0);

        ScheduledFuture<?> probes = timers.scheduleAtFixedRate(() -> {
            for (int p = 0; p < pairs; p++) {
                probesSent.incrementAndGet();
                conns.get(1 + 2 * p).session.send(SEND, Map.of("conversationId", directs.get(p),
                        "clientMessageId", newId(), "text", "probe " + System.nanoTime()));
            }
        }, 0, Math.max(1, (long) (1e6 / probeRate)), TimeUnit.MICROSECONDS);
        ScheduledFuture<?> pr = everyProgressInterval(() -> String.format("phase %d | rtt %s | acked=%d refused=%d rss=%d kB",
                phase, Metric.line(rtt[phase].interval()), acked.get(), refused.get(), Machine.rssKb(serverPid)));

        Map<String, Object> memory = new LinkedHashMap<>();
        rtt[0].window(System.nanoTime(), Long.MAX_VALUE);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(phaseNanos));
        memory.put("rss_before_kb", Machine.rssKb(serverPid));
        memory.put("heap_after_gc_before_kb", Machine.heapAfterGcKb(serverPid));

        // during: paused members, and a flood into their group
        phase = 1;
        rtt[1].window(System.nanoTime(), Long.MAX_VALUE);
        List<Paused> paused = new ArrayList<>();
        URI ws = URI.create(url.replaceFirst("^http", "ws") + o.str("ws-path", "/ws"));
        HttpClient http = HttpClient.newHttpClient();
        for (User u : pausedUsers) {
            paused.add(Paused.open(http, ws, u.token()));
        }
        for (Paused p : paused) {
            p.subscribed.get(30, TimeUnit.SECONDS);
        }
        String filler = "x".repeat(textChars);
        long peak = 0;
        long floodEnd = System.nanoTime() + phaseNanos;
        long interval = (long) (1e9 / floodRate);
        long next = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < floodEnd) {
            sender.session.send(SEND, Map.of("conversationId", group, "clientMessageId", newId(),
                    "text", (n++) + " " + filler));
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (n % 10 == 0) {
                peak = Math.max(peak, Machine.rssKb(serverPid));
            }
        }
        memory.put("rss_peak_during_kb", peak);
        memory.put("heap_after_gc_end_of_flood_kb", Machine.heapAfterGcKb(serverPid));
        // a paused client sees its close only once it reads again: the server closed it if a close (or a
        // reset) is all that follows the frames it had buffered
        paused.forEach(Paused::resume);
        long closeWait = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < closeWait && paused.stream().anyMatch(p -> p.closedAt.get() == 0)) {
            Thread.sleep(100);
        }

        phase = 2;
        rtt[2].window(System.nanoTime(), Long.MAX_VALUE);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(phaseNanos));
        probes.cancel(false);
        pr.cancel(false);
        Thread.sleep(1000);
        memory.put("rss_after_kb", Machine.rssKb(serverPid));
        memory.put("heap_after_gc_after_kb", Machine.heapAfterGcKb(serverPid));

        Map<String, Object> load = new LinkedHashMap<>();
        load.put("bystander_pairs", pairs);
        load.put("probe_rate_per_pair", probeRate);
        load.put("paused_members", pausedCount);
        load.put("flood_rate_per_s", floodRate);
        load.put("text_chars", textChars);
        load.put("phase_s", TimeUnit.NANOSECONDS.toSeconds(phaseNanos));
        load.put("flood_messages", n);
        report.put("load", load);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("rtt_before", Metric.summary(rtt[0].total()));
        res.put("rtt_during", Metric.summary(rtt[1].total()));
        res.put("rtt_after", Metric.summary(rtt[2].total()));
        res.put("probes_sent", probesSent.get());
        res.put("probes_received", probesReceived.get());
        res.put("flood_acked", acked.get());
        res.put("flood_refused", refused.get());
        res.put("sender_session_open", sender.session.isOpen());
        long closed = paused.stream().filter(p -> p.closedAt.get() != 0).count();
        res.put("paused_sessions_closed_by_server", closed);
        res.put("server_memory", memory);
        report.put("results", res);
        paused.forEach(Paused::abort);
    }

    @Override
    void subscribe(Conn c) {
        c.session.subscribe("/user/queue/messages", JsonNode.class, frame -> {
            String text = frame.path("text").asText("");
            // the probe's recipient only (its sender's sessions get the message too)
            if (text.startsWith("probe ") && !c.user.id().equals(frame.path("senderId").asText())) {
                long sent = Long.parseLong(text.substring(6));
                probesReceived.incrementAndGet();
                rtt[phase].record(sent, System.nanoTime());
            }
        });
        c.session.subscribe("/user/queue/acks", JsonNode.class, ack -> {
            if (ack.has("seq")) {
                acked.incrementAndGet();
            } else {
                refused.incrementAndGet();
            }
        });
    }

    /**
     * A member that stops reading: the JDK client reads a frame only when one is requested, and after the
     * subscription's RECEIPT none is.
     */
    private static final class Paused implements WebSocket.Listener {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final AtomicLong closedAt = new AtomicLong();
        private final String token;
        private final AtomicReference<WebSocket> socket = new AtomicReference<>();
        private final StringBuilder text = new StringBuilder();

        private Paused(String token) {
            this.token = token;
        }

        static Paused open(HttpClient http, URI uri, String token) {
            Paused p = new Paused(token);
            http.newWebSocketBuilder().subprotocols("v12.stomp").buildAsync(uri, p);
            return p;
        }

        @Override
        public void onOpen(WebSocket ws) {
            socket.set(ws);
            ws.sendText("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer " + token
                    + "\n\n\0", true);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (!last) {
                ws.request(1);
                return null;
            }
            String frame = text.toString();
            text.setLength(0);
            if (frame.startsWith("CONNECTED")) {
                ws.sendText("SUBSCRIBE\nid:0\ndestination:/user/queue/messages\nreceipt:r0\n\n\0", true);
                ws.request(1);
            } else if (frame.startsWith("RECEIPT") && !subscribed.isDone()) {
                subscribed.complete(null); // and no further request: the socket is no longer read
            } else if (!subscribed.isDone()) {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closedAt.compareAndSet(0, System.nanoTime());
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closedAt.compareAndSet(0, System.nanoTime());
            subscribed.completeExceptionally(error);
        }

        void resume() {
            WebSocket ws = socket.get();
            if (ws != null) {
                ws.request(Long.MAX_VALUE);
            }
        }

        void abort() {
            WebSocket ws = socket.get();
            if (ws != null) {
                ws.abort();
            }
        }
    }
}
