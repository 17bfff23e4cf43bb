package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stats.Machine;
import io.parley.bench.stats.Metric;
import io.parley.bench.stats.Prometheus;
import io.parley.bench.stats.Prometheus.Snapshot;
import io.parley.bench.stats.Report;
import io.parley.bench.stats.ServerMetrics;
import io.parley.bench.stomp.JdkStompSession;
import io.parley.bench.stomp.SpringStompSession;
import io.parley.bench.stomp.StompSession;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** What every scenario shares: options, REST set-up, sessions, the open-loop pacer, progress, the report. */
public abstract class Scenario {

    public static final String SEND = "/app/messages.send";
    public static final String DELIVERED = "/app/receipts.delivered";
    public static final String READ = "/app/receipts.read";

    protected final String name;
    protected final Options o;
    protected final String url;
    protected final URI wsUri;
    protected final String host;
    protected final String label;
    protected final String clientKind;
    protected final int heartbeatMs;
    protected final long serverPid;
    protected final long maxSeconds;
    protected final HttpClient http;
    protected final PlatformClient api;
    protected final Prometheus prom;
    protected final Report report = new Report();
    protected final List<Conn> conns = new CopyOnWriteArrayList<>();
    protected final AtomicLong errorFrames = new AtomicLong();
    protected final AtomicLong closedSessions = new AtomicLong();
    protected final Map<String, AtomicLong> errorSamples = new java.util.concurrent.ConcurrentHashMap<>();
    /** How late the generator itself sent, against the schedule (its own share of every latency). */
    protected final Recorder sendLateness = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);
    protected final long deadlineNanos;
    private final ExecutorService wsExecutor;
    private final HttpClient[] wsClients;
    protected final ScheduledExecutorService timers;
    protected final String prefix;
    protected volatile boolean stopping;
    /** Ends the current {@link #pace} call early (a ramp that failed). */
    protected volatile boolean haltPacer;

    private Snapshot scrapeStart;
    private long cpuStartSelf;
    private long cpuStartServer;
    private long cpuStartServerTree;
    private long cpuStartMachine;
    private long measureStartNanos;

    protected Scenario(String name, Options o) {
        this.name = name;
        this.o = o;
        this.url = o.str("url", "http://127.0.0.1:8080").replaceAll("/$", "");
        URI u = URI.create(url);
        if (!isLoopback(u.getHost())) {
            throw new IllegalArgumentException("the generator only drives servers on loopback, not " + u.getHost());
        }
        this.host = u.getHost();
        this.wsUri = URI.create(url.replaceFirst("^http", "ws") + o.str("ws-path", "/ws"));
        this.label = o.str("label", u.getPort() == 8080 ? "platform" : "target");
        this.clientKind = o.str("client", "jdk");
        this.heartbeatMs = o.integer("heartbeat-ms", 10_000);
        this.serverPid = o.lng("server-pid", 0);
        this.maxSeconds = o.lng("max-seconds", 600);
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        this.prefix = o.str("prefix", "bn" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36)) + name.charAt(0);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.api = new PlatformClient(http, url);
        this.prom = new Prometheus(http, url);
        int ioThreads = o.integer("io-threads", 2);
        AtomicInteger n = new AtomicInteger();
        this.wsExecutor = Executors.newFixedThreadPool(ioThreads, r -> {
            Thread t = new Thread(r, "ws-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.wsClients = new HttpClient[Math.max(1, o.integer("ws-clients", 2))];
        for (int i = 0; i < wsClients.length; i++) {
            wsClients[i] = HttpClient.newBuilder().executor(wsExecutor).connectTimeout(Duration.ofSeconds(30)).build();
        }
        this.timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "bench-timer");
            t.setDaemon(true);
            return t;
        });
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }

    /** Runs the scenario, fills {@link #report}. */
    protected abstract void run() throws Exception;

    /** A MESSAGE frame on one of a session's subscriptions ({@code m} messages, {@code a} acks, {@code r} receipts, {@code e} errors). */
    protected void onFrame(Conn c, String subscription, String body) {
    }

    public final Report execute() throws Exception {
        report.put("scenario", name);
        report.put("target", Map.of("url", url, "label", label));
        report.put("started_at", Instant.now().toString());
        report.put("options", o.used());
        long t0 = System.nanoTime();
        try {
            timers.scheduleAtFixedRate(this::heartbeats, 1, 1, TimeUnit.SECONDS);
            run();
        } finally {
            stopping = true;
            report.put("machine", Machine.describe(serverPid, o.str("cpu-split", "")));
            Map<String, Object> gen = report.section("generator");
            gen.put("client", clientKind);
            gen.put("sessions_opened", conns.size());
            gen.put("sessions_closed_by_peer_or_error", closedSessions.get());
            gen.put("error_frames", errorFrames.get());
            if (!errorSamples.isEmpty()) {
                gen.put("error_samples", new LinkedHashMap<>(errorSamples));
            }
            Histogram late = sendLateness.getIntervalHistogram();
            if (late.getTotalCount() > 0) {
                gen.put("send_lateness_vs_schedule", Metric.summary(late));
            }
            report.put("wall_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            for (Conn c : conns) {
                c.session.close();
            }
            timers.shutdownNow();
        }
        Path out = Path.of(o.str("out", "bench/results"));
        Path[] files = report.write(out, name + "-" + label);
        System.out.println();
        System.out.println("==== report: " + name + " against " + label + " (" + url + ") ====");
        System.out.print(report.text());
        System.out.println("written: " + files[0] + " and " + files[1]);
        Thread.sleep(200);
        wsExecutor.shutdownNow();
        return report;
    }

    // ---- sessions -------------------------------------------------------------------------------

    public final class Conn {
        public final User user;
        public final int index;
        public StompSession session;

        Conn(User user, int index) {
            this.user = user;
            this.index = index;
        }
    }

    protected Conn open(User u) {
        Conn c = new Conn(u, conns.size());
        StompSession.Handler h = new StompSession.Handler() {
            @Override
            public void onMessage(StompSession s, String subscription, String body) {
                onFrame(c, subscription, body);
            }

            @Override
            public void onError(StompSession s, String message) {
                errorFrames.incrementAndGet();
                sample("stomp-error: " + message);
            }

            @Override
            public void onClosed(StompSession s, String reason) {
                closedSessions.incrementAndGet();
                if (!stopping) {
                    sample("closed: " + reason);
                }
            }
        };
        c.session = "spring".equals(clientKind)
                ? SpringStompSession.open(wsUri, u.token(), heartbeatMs, h)
                : JdkStompSession.open(wsClients[c.index % wsClients.length], wsUri, host, u.token(), heartbeatMs, h);
        conns.add(c);
        return c;
    }

    protected void sample(String what) {
        String k = what.length() > 160 ? what.substring(0, 160) : what;
        if (errorSamples.size() < 20 || errorSamples.containsKey(k)) {
            errorSamples.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Opens one session per user, waits for CONNECTED, subscribes to the user's queues. */
    protected List<Conn> connectAll(List<User> users, String... subscriptions) throws Exception {
        List<Conn> out = new ArrayList<>();
        Semaphore inFlight = new Semaphore(o.integer("connect-parallel", 64));
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (User u : users) {
            inFlight.acquire();
            Conn c = open(u);
            out.add(c);
            fs.add(c.session.connected().whenComplete((f, e) -> inFlight.release()));
        }
        for (CompletableFuture<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (Conn c : out) {
            for (String s : subscriptions) {
                c.session.subscribe(s, switch (s) {
                    case "m" -> "/user/queue/messages";
                    case "a" -> "/user/queue/acks";
                    case "r" -> "/user/queue/receipts";
                    case "e" -> "/user/queue/errors";
                    default -> throw new IllegalArgumentException(s);
                });
            }
        }
        Thread.sleep(o.integer("settle-ms", 1500)); // subscriptions registered before the first SEND
        return out;
    }

    private void heartbeats() {
        long now = System.nanoTime();
        long idle = TimeUnit.MILLISECONDS.toNanos(heartbeatMs) * 8 / 10;
        for (Conn c : conns) {
            c.session.heartbeatIfIdle(now, idle);
        }
    }

    protected List<User> users(int n) throws Exception {
        long t = System.nanoTime();
        List<User> us = api.users(prefix, n, o.integer("signup-parallel", 4));
        progress("set-up: %d accounts signed up and signed in in %.1f s", n, (System.nanoTime() - t) / 1e9);
        return us;
    }

    // ---- the open-loop pacer ----------------------------------------------------------------------

    public interface Op {
        void run(long index, long intendedNanos);
    }

    /**
     * Calls {@code op} at {@code rate} per second from {@code start} until {@code end} (nanoTime), each call
     * with the time it was meant to happen. A late generator sends the backlog at once (never skips), so
     * latencies measured from the intended time include any stall: coordinated omission corrected.
     */
    protected long pace(double rate, long start, long end, long firstIndex, Op op) {
        long i = 0;
        double period = 1e9 / rate;
        while (!stopping && !haltPacer) {
            long t = start + (long) (i * period);
            if (t >= end || t >= deadlineNanos) {
                break;
            }
            long now = System.nanoTime();
            while (now < t) {
                java.util.concurrent.locks.LockSupport.parkNanos(t - now);
                now = System.nanoTime();
            }
            sendLateness.recordValue(Math.min(TimeUnit.MINUTES.toMicros(10), (now - t) / 1000));
            op.run(firstIndex + i, t);
            i++;
        }
        return i;
    }

    protected static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    // ---- progress ---------------------------------------------------------------------------------

    private final long t0 = System.nanoTime();

    protected void progress(String fmt, Object... args) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, String.format(fmt, args));
    }

    protected java.util.concurrent.ScheduledFuture<?> everyProgressInterval(Supplier<String> line) {
        int s = o.integer("progress-seconds", 5);
        return timers.scheduleAtFixedRate(() -> {
            try {
                progress("%s", line.get());
            } catch (RuntimeException e) {
                progress("progress failed: %s", e);
            }
        }, s, s, TimeUnit.SECONDS);
    }

    // ---- measured window: CPU, server metrics ---------------------------------------------------------

    protected void measureStart() {
        measureStartNanos = System.nanoTime();
        sendLateness.reset(); // the generator's own lateness counts from the measured window on
        cpuStartSelf = Machine.selfCpuMillis();
        cpuStartMachine = Machine.machineBusyMillis();
        report.section("cpu").put("load_average_at_start", Machine.loadAverage());
        if (serverPid > 0) {
            cpuStartServer = Machine.cpuMillis(serverPid);
            cpuStartServerTree = Machine.treeCpuMillis(serverPid);
        }
        scrapeStart = prom.scrape();
        report.section("cpu").put("window_start_utc", Instant.now().toString());
        String jfr = o.str("jfr", "");
        if (!jfr.isEmpty() && serverPid > 0) { // profile the server over the measured window only
            jcmd("JFR.start", "name=bench-window", "settings=profile", "filename=" + Path.of(jfr).toAbsolutePath());
        }
    }

    private void jcmd(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("jcmd", String.valueOf(serverPid)));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            sample("jcmd failed: " + e);
        }
    }

    /** CPU split over the window and the platform's own metrics; {@code ops} = operations, for per-op cost. */
    protected void measureEnd(long ops, String opName) {
        double secs = (System.nanoTime() - measureStartNanos) / 1e9;
        Map<String, Object> cpu = report.section("cpu");
        cpu.put("window_end_utc", Instant.now().toString());
        String jfr = o.str("jfr", "");
        if (!jfr.isEmpty() && serverPid > 0) {
            jcmd("JFR.stop", "name=bench-window");
            try {
                String hot = io.parley.bench.stats.HotFrames.summarise(Path.of(jfr), 30);
                java.nio.file.Files.writeString(Path.of(jfr + ".hotframes.txt"), hot);
                report.put("server_profile", Map.of("jfr", jfr, "hot_frames", jfr + ".hotframes.txt"));
            } catch (Exception e) {
                sample("hot frames failed: " + e);
            }
        }
        cpu.put("window_s", Math.round(secs * 10) / 10.0);
        long self = Machine.selfCpuMillis() - cpuStartSelf;
        cpu.put("generator_cpu_s", self / 1000.0);
        cpu.put("generator_cores_busy", Math.round(self / 10.0 / secs) / 100.0);
        if (ops > 0) {
            cpu.put("generator_cpu_us_per_" + opName, Math.round(self * 1000.0 / ops * 10) / 10.0);
        }
        if (serverPid > 0) {
            long srv = Machine.cpuMillis(serverPid) - cpuStartServer;
            long tree = Machine.treeCpuMillis(serverPid) - cpuStartServerTree;
            cpu.put("server_jvm_cpu_s", srv / 1000.0);
            cpu.put("server_jvm_cores_busy", Math.round(srv / 10.0 / secs) / 100.0);
            cpu.put("server_with_children_cpu_s", tree / 1000.0);
            cpu.put("server_with_children_cores_busy", Math.round(tree / 10.0 / secs) / 100.0);
            if (ops > 0) {
                cpu.put("server_cpu_us_per_" + opName + "_with_children", Math.round(tree * 1000.0 / ops * 10) / 10.0);
            }
            cpu.put("server_rss_mb_end", Machine.treeRssKb(serverPid) / 1024);
        }
        long machine = Machine.machineBusyMillis() - cpuStartMachine;
        long others = machine - self - (serverPid > 0 ? Machine.treeCpuMillis(serverPid) - cpuStartServerTree : 0);
        cpu.put("machine_cores_busy", Math.round(machine / 10.0 / secs) / 100.0);
        if (serverPid > 0) {
            // anything else on the machine (builds, tests of other worktrees) competes for the same 2 cores
            cpu.put("other_processes_cores_busy", Math.round(others / 10.0 / secs) / 100.0);
        }
        cpu.put("load_average_at_end", Machine.loadAverage());
        report.put("server_metrics", ServerMetrics.compare(scrapeStart, prom.scrape()));
    }

    /**
     * Did the projections keep up? Lag per processor now, then polls until every lag gauge is at or below
     * {@code --drained-below-ms} (default 100) or {@code --drain-seconds} pass.
     */
    protected Map<String, Object> projectionDrain() throws InterruptedException {
        Map<String, Object> out = new LinkedHashMap<>();
        Snapshot s = prom.scrape();
        if (s == null) {
            out.put("available", false);
            return out;
        }
        Map<String, Double> lag = ServerMetrics.lagGauges(s);
        if (lag.isEmpty()) {
            out.put("available", false);
            out.put("note", "the platform publishes no projection lag gauge (e.g. Axon's eventProcessor latency)");
            return out;
        }
        out.put("lag_ms_at_end", lag);
        double limit = o.dbl("drained-below-ms", 100);
        long t = System.nanoTime();
        long until = t + TimeUnit.SECONDS.toNanos(o.integer("drain-seconds", 120));
        while (true) {
            double max = lag.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            if (max <= limit) {
                out.put("drained", true);
                out.put("time_to_drain_s", Math.round((System.nanoTime() - t) / 1e7) / 100.0);
                break;
            }
            if (System.nanoTime() > until) {
                out.put("drained", false);
                out.put("lag_ms_after_wait", lag);
                break;
            }
            Thread.sleep(250);
            Snapshot n = prom.scrape();
            if (n != null) {
                lag = ServerMetrics.lagGauges(n);
            }
        }
        return out;
    }

    protected static long ms(long v) {
        return TimeUnit.MILLISECONDS.toNanos(v);
    }

    protected long seconds(String key, int dflt) {
        return TimeUnit.SECONDS.toNanos(o.integer(key, dflt));
    }
}
