package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.stats.HotFrames;
import io.parley.bench.stats.Machine;
import io.parley.bench.stats.Prometheus;
import io.parley.bench.stats.Prometheus.Snapshot;
import io.parley.bench.stats.Report;
import io.parley.bench.stats.ServerMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The measured window: the CPU split over it (generator, server with its children, everything else on the
 * machine), the platform's own metrics from a scrape at each end, an optional JFR recording of the server, and
 * afterwards whether the projections drained.
 */
final class MeasuredWindow {

    private final Options o;
    private final Report report;
    private final Prometheus prom;
    private final long serverPid;
    private final Consumer<String> sample;

    // set by start() on the timer thread, read by end() on the scenario's thread
    private volatile Snapshot scrapeStart;
    private volatile long cpuStartSelf;
    private volatile long cpuStartServer;
    private volatile long cpuStartServerTree;
    private volatile long cpuStartMachine;
    private volatile long startNanos;

    MeasuredWindow(Options o, Report report, Prometheus prom, long serverPid, Consumer<String> sample) {
        this.o = o;
        this.report = report;
        this.prom = prom;
        this.serverPid = serverPid;
        this.sample = sample;
    }

    void start() {
        startNanos = System.nanoTime();
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
            sample.accept("jcmd failed: " + e);
        }
    }

    /** CPU split over the window and the platform's own metrics; {@code ops} = operations, for per-op cost. */
    void end(long ops, String opName) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> cpu = report.section("cpu");
        cpu.put("window_end_utc", Instant.now().toString());
        String jfr = o.str("jfr", "");
        if (!jfr.isEmpty() && serverPid > 0) {
            jcmd("JFR.stop", "name=bench-window");
            try {
                String hot = HotFrames.summarise(Path.of(jfr), 30);
                Files.writeString(Path.of(jfr + ".hotframes.txt"), hot);
                report.put("server_profile", Map.of("jfr", jfr, "hot_frames", jfr + ".hotframes.txt"));
            } catch (Exception e) {
                sample.accept("hot frames failed: " + e);
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
    Map<String, Object> projectionDrain() throws InterruptedException {
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
}
