package io.parley.bench.stats;

import io.parley.bench.stats.Prometheus.Series;
import io.parley.bench.stats.Prometheus.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The platform's own figures from two scrapes of {@code /actuator/prometheus}: per group (command handling,
 * event append, projection lag, live delivery), every matching timer as count / mean / max over the run (and
 * percentiles where the platform publishes histogram buckets or quantiles), every matching gauge at the end.
 * A group with no matching series is listed as missing.
 */
public final class ServerMetrics {

    /** Matched against a series' name with its labels ({@code name{k=v, ...}}). */
    public static final Map<String, Pattern> GROUPS = new LinkedHashMap<>();

    /** Axon publishes success/failure/ignored variants of every timer and counter: the "all" ones are enough. */
    static final Pattern NOISE = Pattern.compile(".*(successTimer|failureTimer|ignoredTimer|ingestedCounter|successCounter|ignoredCounter).*");

    static {
        GROUPS.put("command_handling", Pattern.compile("(?i)^[^{]*command.*"));
        GROUPS.put("event_append", Pattern.compile("(?i)^[^{]*(append|eventstore|event_store|eventstorage|eventbus).*"));
        GROUPS.put("projection_lag", Pattern.compile("(?i)^([^{]*(eventprocessor|projection|(^|_)lag(_|$))[^{]*)(?!.*processorName=live)(?!.*processorName=[^,}]*deliver).*"));
        GROUPS.put("live_delivery", Pattern.compile("(?i)(^[^{]*(live|deliver|fanout|fan_out|stomp|websocket).*|.*processorName=[^,}]*(live|deliver).*)"));
    }

    static boolean matches(Pattern p, Series s) {
        return p.matcher(s.key()).matches() && !NOISE.matcher(s.name()).matches();
    }

    private ServerMetrics() {
    }

    /** Figures for the report: groups, missing groups, JVM memory and CPU of the platform. */
    public static Map<String, Object> compare(Snapshot before, Snapshot after) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (after == null) {
            out.put("available", false);
            out.put("note", "no /actuator/prometheus on this server");
            return out;
        }
        double seconds = before == null ? 0 : (after.atNanos() - before.atNanos()) / 1e9;
        out.put("scrape_interval_s", round(seconds));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Pattern> g : GROUPS.entrySet()) {
            Map<String, Object> figures = group(before, after, g.getValue());
            if (figures.isEmpty()) {
                missing.add(g.getKey());
            } else {
                out.put(g.getKey(), figures);
            }
        }
        out.put("missing", missing);
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("heap_used_mb_end", round(after.sum("jvm_memory_used_bytes", "area", "heap") / 1048576));
        jvm.put("nonheap_used_mb_end", round(after.sum("jvm_memory_used_bytes", "area", "nonheap") / 1048576));
        jvm.put("live_threads_end", after.sum("jvm_threads_live_threads", null, null));
        if (before != null && after.has("jvm_gc_pause_seconds_count")) {
            jvm.put("gc_pauses", after.sum("jvm_gc_pause_seconds_count", null, null) - before.sum("jvm_gc_pause_seconds_count", null, null));
            jvm.put("gc_pause_total_ms", round(1000 * (after.sum("jvm_gc_pause_seconds_sum", null, null) - before.sum("jvm_gc_pause_seconds_sum", null, null))));
        }
        if (before != null && after.has("process_cpu_time_ns_total")) {
            jvm.put("process_cpu_s", round((after.sum("process_cpu_time_ns_total", null, null) - before.sum("process_cpu_time_ns_total", null, null)) / 1e9));
        }
        out.put("jvm", jvm);
        return out;
    }

    static Map<String, Object> group(Snapshot before, Snapshot after, Pattern p) {
        // family base names: strip the suffixes of timers, summaries and histograms
        Set<String> bases = new LinkedHashSet<>();
        for (Series s : after.series().values()) {
            if (matches(p, s) && !s.name().startsWith("jvm_") && !s.name().startsWith("http_")
                    && !s.name().startsWith("tomcat_") && !s.name().startsWith("executor_")) {
                bases.add(base(s.name()));
            }
        }
        Map<String, Object> out = new TreeMap<>();
        for (String b : bases) {
            if (after.has(b + "_count") && after.has(b + "_sum")) {
                out.putAll(timer(before, after, b, p));
            } else if (after.has(b)) {
                for (Series s : after.named(b)) {
                    if (s.labels().containsKey("quantile") || s.labels().containsKey("le") || !matches(p, s)) {
                        continue;
                    }
                    Series prev = before == null ? null : before.series().get(s.key());
                    boolean counter = b.endsWith("_total");
                    out.put(s.key(), counter && prev != null ? "+" + round(s.value() - prev.value()) + " (total " + round(s.value()) + ")"
                            : round(s.value()));
                }
            }
        }
        return out;
    }

    static String base(String name) {
        for (String suffix : new String[]{"_count", "_sum", "_max", "_bucket"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** One entry per label set of a timer: count and mean over the run, max, and quantiles/buckets if any. */
    static Map<String, Object> timer(Snapshot before, Snapshot after, String b, Pattern p) {
        Map<String, Object> out = new TreeMap<>();
        double scale = b.endsWith("_seconds") ? 1000.0 : 1.0; // to ms
        for (Series c : after.named(b + "_count")) {
            Map<String, String> labels = c.labels();
            if (!matches(p, new Series(b, labels, 0))) {
                continue;
            }
            Series prevC = before == null ? null : before.series().get(c.key());
            String sumKey = new Series(b + "_sum", labels, 0).key();
            Series sum = after.series().get(sumKey);
            Series prevS = before == null ? null : before.series().get(sumKey);
            double dc = c.value() - (prevC == null ? 0 : prevC.value());
            double ds = (sum == null ? 0 : sum.value()) - (prevS == null ? 0 : prevS.value());
            if (dc <= 0) {
                continue;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("count", (long) dc);
            f.put("mean_ms", round(scale * ds / dc));
            Series max = after.series().get(new Series(b + "_max", labels, 0).key());
            if (max != null) {
                f.put("max_ms_recent", round(scale * max.value()));
            }
            Map<String, Double> q = new TreeMap<>();
            for (Series s : after.named(b)) {
                if (s.labels().containsKey("quantile") && sameExcept(s.labels(), labels, "quantile")) {
                    q.put("p" + s.labels().get("quantile"), round(scale * s.value()));
                }
            }
            if (!q.isEmpty()) {
                f.put("quantiles_ms_recent", q);
            }
            Map<String, Object> fromBuckets = buckets(before, after, b, labels, scale);
            if (!fromBuckets.isEmpty()) {
                f.put("percentiles_from_buckets_ms", fromBuckets);
            }
            out.put(new Series(b, labels, 0).key(), f);
        }
        return out;
    }

    static Map<String, Object> buckets(Snapshot before, Snapshot after, String b, Map<String, String> labels, double scale) {
        TreeMap<Double, Double> cum = new TreeMap<>();
        for (Series s : after.named(b + "_bucket")) {
            if (!sameExcept(s.labels(), labels, "le")) {
                continue;
            }
            String le = s.labels().get("le");
            double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            Series prev = before == null ? null : before.series().get(s.key());
            cum.put(bound, s.value() - (prev == null ? 0 : prev.value()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (cum.isEmpty()) {
            return out;
        }
        double total = cum.lastEntry().getValue();
        if (total <= 0) {
            return out;
        }
        for (double pct : new double[]{50, 90, 99, 99.9}) {
            double rank = total * pct / 100;
            double lower = 0;
            double prevCount = 0;
            for (Map.Entry<Double, Double> e : cum.entrySet()) {
                if (e.getValue() >= rank) {
                    double upper = e.getKey();
                    double v = Double.isInfinite(upper) ? lower
                            : lower + (upper - lower) * (rank - prevCount) / Math.max(1e-9, e.getValue() - prevCount);
                    out.put("p" + (pct == 99.9 ? "99_9" : String.valueOf((int) pct)), round(scale * v));
                    break;
                }
                lower = e.getKey();
                prevCount = e.getValue();
            }
        }
        return out;
    }

    static boolean sameExcept(Map<String, String> a, Map<String, String> b, String except) {
        Map<String, String> x = new TreeMap<>(a);
        x.remove(except);
        Map<String, String> y = new TreeMap<>(b);
        y.remove(except);
        return x.equals(y);
    }

    /** Projection lag gauges (per processor): the series of the projection_lag group that are plain gauges. */
    private static final String OWN_LAG = "parley_processor_lag_time_milliseconds";

    public static Map<String, Double> lagGauges(Snapshot s) {
        Map<String, Double> out = new TreeMap<>();
        if (s == null) {
            return out;
        }
        // the platform's own lag in time (head of the store minus a processor's position) reads 0 once caught
        // up; Axon's eventProcessor_latency keeps the last event's figure while a processor idles, so it is
        // used only where the platform publishes nothing better
        for (Series x : s.series().values()) {
            if (x.name().equals(OWN_LAG)) {
                out.put(x.key(), x.value());
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (Series x : s.series().values()) {
            String n = x.name().toLowerCase();
            if ((n.contains("latency") || n.contains("lag")) && matches(GROUPS.get("projection_lag"), x)
                    && !n.endsWith("_count") && !n.endsWith("_sum") && !n.endsWith("_bucket") && !n.endsWith("_max")
                    && !n.endsWith("_total") && !x.labels().containsKey("quantile")) {
                double scale = n.endsWith("_seconds") ? 1000.0 : 1.0;
                out.put(x.key(), scale * x.value());
            }
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
