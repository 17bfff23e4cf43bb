package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stats.Machine;
import io.parley.bench.stats.Metric;
import io.parley.bench.stats.Prometheus;
import io.parley.bench.stats.Report;
import io.parley.bench.stomp.StompClient;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What every scenario shares: options, the target, REST set-up, the sessions ({@link Sessions}), the open-loop
 * schedule ({@link Pacer}), the measured window ({@link MeasuredWindow}), progress lines and the report.
 */
public abstract class Scenario {

    public static final String SEND = "/app/messages.send";
    public static final String DELIVERED = "/app/receipts.delivered";
    public static final String READ = "/app/receipts.read";

    protected final String name;
    protected final Options o;
    protected final String url;
    protected final String label;
    protected final int heartbeatMs;
    protected final long serverPid;
    protected final long deadlineNanos;
    protected final PlatformClient api;
    protected final Prometheus prom;
    protected final Report report = new Report();
    protected final ScheduledExecutorService timers;
    protected final String prefix;
    private final StompClient stomp;
    final Sessions sessions;
    private final Pacer pacer;
    private final MeasuredWindow window;
    private final long t0 = System.nanoTime();
    private volatile boolean stopping;

    protected Scenario(String name, Options o) {
        this.name = name;
        this.o = o;
        this.url = o.str("url", "http://127.0.0.1:8080").replaceAll("/$", "");
        URI u = URI.create(url);
        if (!isLoopback(u.getHost())) {
            throw new IllegalArgumentException("the generator only drives servers on loopback, not " + u.getHost());
        }
        URI wsUri = URI.create(url.replaceFirst("^http", "ws") + o.str("ws-path", "/ws"));
        this.label = o.str("label", u.getPort() == 8080 ? "platform" : "target");
        String client = o.str("client", "spring");
        if (!"spring".equals(client)) { // the JDK client and its own STOMP codec are gone; the option stays accepted
            System.out.println("note: --client=" + client + " is no longer available; using Spring's WebSocketStompClient");
        }
        this.heartbeatMs = o.integer("heartbeat-ms", 10_000);
        this.serverPid = o.lng("server-pid", 0);
        long maxSeconds = o.lng("max-seconds", 600);
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        this.prefix = o.str("prefix", "bn" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36)) + name.charAt(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.api = new PlatformClient(http, url);
        this.prom = new Prometheus(http, url);
        this.stomp = new StompClient(heartbeatMs, o.integer("connect-threads", 16));
        this.sessions = new Sessions(stomp, wsUri, u.getHost(), o.flag("spread-routes"));
        this.pacer = new Pacer(deadlineNanos, () -> stopping);
        this.window = new MeasuredWindow(o, report, prom, serverPid, sessions::sample);
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

    /** Subscribes a session of {@link #connectAll} once it is connected. */
    void subscribe(Conn c) {
    }

    public final Report execute() throws Exception {
        report.put("scenario", name);
        report.put("target", Map.of("url", url, "label", label));
        report.put("started_at", Instant.now().toString());
        report.put("options", o.used());
        long t0 = System.nanoTime();
        try {
            run();
        } finally {
            stopping = true;
            report.put("machine", Machine.describe(serverPid, o.str("cpu-split", "")));
            Map<String, Object> gen = report.section("generator");
            gen.put("client", "spring");
            sessions.closeAll(gen);
            Histogram late = pacer.lateness();
            if (late.getTotalCount() > 0) {
                gen.put("send_lateness_vs_schedule", Metric.summary(late));
            }
            report.put("wall_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            timers.shutdownNow();
        }
        Path out = Path.of(o.str("out", "bench/results"));
        Path[] files = report.write(out, name + "-" + label);
        System.out.println();
        System.out.println("==== report: " + name + " against " + label + " (" + url + ") ====");
        System.out.print(report.text());
        System.out.println("written: " + files[0] + " and " + files[1]);
        Thread.sleep(200); // DISCONNECTs on their way before the client stops
        stomp.close();
        return report;
    }

    // ---- set-up ---------------------------------------------------------------------------------------

    protected List<User> users(int n) throws Exception {
        long t = System.nanoTime();
        List<User> us = api.users(prefix, n, o.integer("signup-parallel", 4));
        progress("set-up: %d accounts signed up and signed in in %.1f s", n, (System.nanoTime() - t) / 1e9);
        return us;
    }

    /** One session per user, connected and {@link #subscribe subscribed}, registered before the first SEND. */
    protected List<Conn> connectAll(List<User> users) throws Exception {
        List<Conn> out = sessions.connectAll(users, o.integer("connect-parallel", 64), this::subscribe);
        Thread.sleep(o.integer("settle-ms", 1500)); // subscriptions registered before the first SEND
        return out;
    }

    protected void sample(String what) {
        sessions.sample(what);
    }

    // ---- the schedule and the measured window ---------------------------------------------------------

    protected long pace(double rate, long start, long end, long firstIndex, Pacer.Op op) {
        return pacer.pace(rate, start, end, firstIndex, op);
    }

    protected void measureStart() {
        pacer.resetLateness(); // the generator's own lateness counts from the measured window on
        window.start();
    }

    /** CPU split over the window and the platform's own metrics; {@code ops} = operations, for per-op cost. */
    protected void measureEnd(long ops, String opName) {
        window.end(ops, opName);
    }

    /** Did the projections keep up? See {@link MeasuredWindow#projectionDrain()}. */
    protected Map<String, Object> projectionDrain() throws InterruptedException {
        return window.projectionDrain();
    }

    protected static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    protected static long ms(long v) {
        return TimeUnit.MILLISECONDS.toNanos(v);
    }

    protected long seconds(String key, int dflt) {
        return TimeUnit.SECONDS.toNanos(o.integer(key, dflt));
    }

    // ---- progress -------------------------------------------------------------------------------------

    protected void progress(String fmt, Object... args) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, String.format(fmt, args));
    }

    protected ScheduledFuture<?> everyProgressInterval(Supplier<String> line) {
        int s = o.integer("progress-seconds", 5);
        return timers.scheduleAtFixedRate(() -> {
            try {
                progress("%s", line.get());
            } catch (RuntimeException e) {
                progress("progress failed: %s", e);
            }
        }, s, s, TimeUnit.SECONDS);
    }
}
