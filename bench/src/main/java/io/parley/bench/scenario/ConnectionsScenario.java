package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stats.Machine;
import io.parley.bench.stats.Metric;
import io.parley.bench.stats.Prometheus.Snapshot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code connections}: {@code --connections} idle authenticated STOMP sessions (spread over {@code --users}
 * accounts, as devices of the same users), opened at {@code --connect-rate}/s, held {@code --hold} seconds with
 * heart-beats both ways. Figures: CONNECT -> CONNECTED latency, how many were held (still open: the client
 * closes a session after three heart-beat intervals without a word from the server), server memory per
 * connection (heap after a GC via jcmd when {@code --server-pid} is given, JVM used memory from Actuator, and
 * RSS of the server process).
 */
public final class ConnectionsScenario extends Scenario {

    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Metric connect = new Metric("connect");

    public ConnectionsScenario(Options o) {
        super("connections", o);
    }

    @Override
    protected void run() throws Exception {
        int n = o.integer("connections", 10_000);
        int userCount = Math.min(n, o.integer("users", 100));
        double rate = o.dbl("connect-rate", 500);
        long hold = seconds("hold", 30);
        List<User> users = users(userCount);
        Map<String, Object> before = memory("before");
        progress("memory before: %s", before);
        connect.window(0, Long.MAX_VALUE);
        ScheduledFuture<?> pr = everyProgressInterval(() -> String.format("opening: connected=%d failed=%d open=%d | connect %s",
                connected.get(), failed.get(), sessions.all().stream().filter(c -> c.session.isOpen()).count(), Metric.line(connect.interval())));
        long start = System.nanoTime() + ms(100);
        measureStart();
        pace(rate, start, start + (long) (n / rate * 1e9), 0, (i, t) -> {
            Conn c = sessions.open(users.get((int) (i % userCount)));
            c.session.connected().whenComplete((f, e) -> {
                if (e == null) {
                    connected.incrementAndGet();
                    connect.record(t, System.nanoTime());
                    c.session.subscribe("/user/queue/messages", JsonNode.class, frame -> { });
                } else {
                    failed.incrementAndGet();
                    sample("connect failed: " + rootMessage(e));
                }
            });
        });
        long wait = System.nanoTime() + seconds("connect-timeout", 60);
        while (connected.get() + failed.get() < n && System.nanoTime() < wait) {
            Thread.sleep(200);
        }
        progress("opened: %d connected, %d failed, %d unanswered; holding %ds", connected.get(), failed.get(),
                n - connected.get() - failed.get(), TimeUnit.NANOSECONDS.toSeconds(hold));
        long holdEnd = System.nanoTime() + hold;
        while (System.nanoTime() < holdEnd && System.nanoTime() < deadlineNanos) {
            Thread.sleep(500);
        }
        pr.cancel(false);
        long open = sessions.all().stream().filter(c -> c.session.isOpen()).count();
        long held = open; // Spring's client closes a session whose server's heart-beats stop
        Map<String, Object> after = memory("after");
        measureEnd(0, "connection");
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("connections", n);
        load.put("accounts", userCount);
        load.put("connect_rate_per_s", rate);
        load.put("hold_s", TimeUnit.NANOSECONDS.toSeconds(hold));
        load.put("heartbeat_ms", heartbeatMs);
        report.put("load", load);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("connected", connected.get());
        res.put("failed", failed.get());
        res.put("open_at_end", open);
        res.put("held_alive_at_end", held);
        res.put("connect_latency", Metric.summary(connect.total()));
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("before", before);
        mem.put("after", after);
        perConnection(mem, before, after, held, "heap_after_gc_kb");
        perConnection(mem, before, after, held, "jvm_used_kb");
        perConnection(mem, before, after, held, "rss_kb");
        perConnection(mem, before, after, held, "rss_with_children_kb");
        res.put("server_memory", mem);
        report.put("results", res);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void perConnection(Map<String, Object> mem, Map<String, Object> b, Map<String, Object> a, long held, String key) {
        if (b.get(key) instanceof Long x && a.get(key) instanceof Long y && held > 0) {
            mem.put(key.replace("_kb", "") + "_per_connection_kb", Math.round((y - x) * 10.0 / held) / 10.0);
        }
    }

    private Map<String, Object> memory(String when) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        if (serverPid > 0) {
            Process p = new ProcessBuilder("jcmd", String.valueOf(serverPid), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            Thread.sleep(1000);
        }
        Snapshot s = prom.scrape();
        if (s != null) {
            long heap = (long) (s.sum("jvm_memory_used_bytes", "area", "heap") / 1024);
            long nonheap = (long) (s.sum("jvm_memory_used_bytes", "area", "nonheap") / 1024);
            if (serverPid > 0) {
                m.put("heap_after_gc_kb", heap);
            }
            m.put("jvm_used_kb", heap + nonheap);
        }
        if (serverPid > 0 && !m.containsKey("heap_after_gc_kb")) {
            Process p = new ProcessBuilder("jcmd", String.valueOf(serverPid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            java.util.regex.Matcher mm = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
            if (mm.find()) {
                m.put("heap_after_gc_kb", Long.parseLong(mm.group(1)));
            }
        }
        if (serverPid > 0) {
            m.put("rss_kb", Machine.rssKb(serverPid));
            m.put("rss_with_children_kb", Machine.treeRssKb(serverPid));
        }
        return m;
    }
}
