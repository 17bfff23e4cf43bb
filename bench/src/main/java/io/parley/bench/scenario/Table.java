package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.bench.Options;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code table --dir=<results>}: the README's performance table, generated from the newest JSON report of each
 * scenario and target in a results directory (so no figure is typed by hand), with the targets of
 * docs/design.md, section 8 beside them (the column keeps its "DESIGN 8 target" heading, as in the README).
 */
public final class Table {

    private final ObjectMapper json = new ObjectMapper();
    private final List<File> files = new ArrayList<>();

    private Table(List<String> dirs) {
        for (String d : dirs) {
            File[] fs = new File(d).listFiles((x, n) -> n.endsWith(".json"));
            if (fs != null) {
                files.addAll(Arrays.asList(fs));
            }
        }
    }

    public static void run(Options o) throws IOException {
        Table t = new Table(Arrays.asList(o.str("dir", "bench/results").split(",")));
        System.out.print(t.render());
    }

    JsonNode latest(String scenario, String label) throws IOException {
        File f = files.stream().filter(x -> x.getName().startsWith(scenario + "-" + label + "-"))
                .max(Comparator.comparing(File::getName)).orElse(null);
        return f == null ? null : json.readTree(f);
    }

    static String pct(JsonNode m) {
        if (m == null || m.isMissingNode() || m.path("count").asLong() == 0) {
            return "no sample: nothing answered within the run's timeout";
        }
        return String.format("p50 %s / p90 %s / p99 %s / p99.9 %s / max %s ms (n=%s)", m.path("p50_ms").asText(),
                m.path("p90_ms").asText(), m.path("p99_ms").asText(), m.path("p99_9_ms").asText(), m.path("max_ms").asText(),
                m.path("count").asText());
    }

    static String verdict(boolean have, boolean met) {
        return !have ? "not measured" : met ? "met" : "**missed**";
    }

    static String ratio(double p, double b) {
        return b > 0 && p > 0 ? String.format("%.2f", p / b) : "-";
    }

    String render() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario (load) | figure | DESIGN 8 target | platform | baseline | platform / baseline | target |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        JsonNode pd = latest("direct", "platform");
        JsonNode bd = latest("direct", "baseline");
        String dl = load(pd != null ? pd : bd, "rate_msg_s", "pairs");
        double pP50 = num(pd, "end_to_end_latency", "p50_ms");
        double pP99 = num(pd, "end_to_end_latency", "p99_ms");
        double bP50 = num(bd, "end_to_end_latency", "p50_ms");
        double bP99 = num(bd, "end_to_end_latency", "p99_ms");
        row(sb, "direct " + dl, "SEND -> recipient MESSAGE", "p50 <= 5 ms, p99 <= 25 ms", fig(pd, "end_to_end_latency"), fig(bd, "end_to_end_latency"),
                "p50 " + ratio(pP50, bP50) + ", p99 " + ratio(pP99, bP99), verdict(pd != null, pP50 >= 0 && pP50 <= 5 && pP99 <= 25));
        row(sb, "direct " + dl, "SEND -> ack", "-", fig(pd, "ack_latency"), fig(bd, "ack_latency"),
                "p99 " + ratio(num(pd, "ack_latency", "p99_ms"), num(bd, "ack_latency", "p99_ms")), "-");
        JsonNode pt = latest("throughput", "platform");
        JsonNode bt = latest("throughput", "baseline");
        double pr = pt == null ? -1 : pt.path("results").path("highest_sustained_rate_msg_s").asDouble();
        double br = bt == null ? -1 : bt.path("results").path("highest_sustained_rate_msg_s").asDouble();
        row(sb, "throughput (ramp x1.25 until ack p99 > 100 ms)", "highest sustained 1:1 rate, stored and delivered live",
                ">= 2,500 msg/s", rate(pt), rate(bt), ratio(pr, br), verdict(pt != null, pr >= 2500));
        JsonNode pg = latest("group", "platform");
        JsonNode bg = latest("group", "baseline");
        String gl = load(pg != null ? pg : bg, "rate_msg_s", "members_per_group");
        double pdps = pg == null ? -1 : pg.path("results").path("deliveries_per_s").asDouble();
        row(sb, "group " + gl, "fan-out deliveries/s (of messages sent in the window; served in the window)", ">= 25,000/s",
                deliveries(pg), deliveries(bg), ratio(pdps, bg == null ? -1 : bg.path("results").path("deliveries_per_s").asDouble()),
                verdict(pg != null, pdps >= 25_000));
        row(sb, "group " + gl, "SEND -> last member's MESSAGE", "-", fig(pg, "latency_to_last_member"), fig(bg, "latency_to_last_member"),
                "p99 " + ratio(num(pg, "latency_to_last_member", "p99_ms"), num(bg, "latency_to_last_member", "p99_ms")), "-");
        JsonNode pc = latest("connections", "platform");
        JsonNode bc = latest("connections", "baseline");
        String cl = load(pc != null ? pc : bc, "connections", "connect_rate_per_s");
        long pheld = pc == null ? -1 : pc.path("results").path("held_alive_at_end").asLong();
        row(sb, "connections " + cl, "idle sessions held (heart-beats 10 s)", ">= 10,000", held(pc), held(bc), "-",
                verdict(pc != null, pheld >= 10_000));
        double pmem = pc == null ? -1 : pc.path("results").path("server_memory").path("heap_after_gc_per_connection_kb").asDouble(-1);
        row(sb, "connections " + cl, "server memory per idle connection (heap after GC; RSS)", "<= 50 KB", mem(pc), mem(bc),
                ratio(pmem, bc == null ? -1 : bc.path("results").path("server_memory").path("heap_after_gc_per_connection_kb").asDouble(-1)),
                verdict(pc != null && pmem >= 0, pmem <= 50));
        row(sb, "connections " + cl, "CONNECT -> CONNECTED", "-", fig(pc, "connect_latency"), fig(bc, "connect_latency"), "-", "-");
        JsonNode pre = latest("receipts", "platform");
        JsonNode bre = latest("receipts", "baseline");
        row(sb, "receipts " + load(pre != null ? pre : bre, "receipt_rate_per_s", "pairs"), "receipt SEND -> sender's watermark frame", "-",
                fig(pre, "receipt_to_watermark_frame"), fig(bre, "receipt_to_watermark_frame"),
                "p99 " + ratio(num(pre, "receipt_to_watermark_frame", "p99_ms"), num(bre, "receipt_to_watermark_frame", "p99_ms")), "-");
        sb.append('\n');
        sb.append("Conditions of each run (from the reports):\n\n");
        for (String s : new String[]{"direct", "throughput", "group", "receipts", "connections"}) {
            for (String l : new String[]{"platform", "baseline"}) {
                JsonNode r = latest(s, l);
                if (r != null) {
                    JsonNode c = r.path("cpu");
                    sb.append(String.format("- %s / %s (%s): generator %s cores, server %s cores (with children %s), other processes %s cores; load average %s%n",
                            s, l, r.path("started_at").asText(), c.path("generator_cores_busy").asText("?"),
                            c.path("server_jvm_cores_busy").asText("?"), c.path("server_with_children_cores_busy").asText("?"),
                            c.path("other_processes_cores_busy").asText("?"), c.path("load_average_at_start").asText("?")));
                }
            }
        }
        JsonNode any = pd != null ? pd : bd;
        if (any != null) {
            JsonNode m = any.path("machine");
            sb.append(String.format("%nMachine: %s cores online (%s), %s MB, %s; %s%n", m.path("cores_online").asText(), m.path("cpu_model").asText(),
                    m.path("memory_total_mb").asText(), m.path("java").asText(), m.path("cpu_split").asText()));
        }
        return sb.toString();
    }

    static void row(StringBuilder sb, String... cells) {
        sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    /** A percentile, or -1 when the run had no sample of it (nothing answered within the timeout). */
    static double num(JsonNode r, String fig, String p) {
        if (r == null || r.path("results").path(fig).path("count").asLong(0) == 0) {
            return -1;
        }
        return r.path("results").path(fig).path(p).asDouble(-1);
    }

    static String fig(JsonNode r, String fig) {
        return r == null ? "not run" : pct(r.path("results").path(fig));
    }

    static String load(JsonNode r, String a, String b) {
        return r == null ? "" : "(" + a + " " + r.path("load").path(a).asText() + ", " + b + " " + r.path("load").path(b).asText() + ")";
    }

    static String rate(JsonNode r) {
        if (r == null) {
            return "not run";
        }
        return r.path("results").path("highest_sustained_rate_msg_s").asText() + " msg/s (stopped: "
                + r.path("results").path("stopped_because").asText() + ")";
    }

    static String deliveries(JsonNode r) {
        if (r == null) {
            return "not run";
        }
        JsonNode x = r.path("results");
        return x.path("deliveries_per_s").asText() + "/s; served " + x.path("served_during_window_any_message").path("delivery_frames_received_per_s").asText()
                + "/s; " + x.path("messages_not_fully_delivered_after_timeout").asText() + " of " + x.path("sent").asText() + " messages not fully delivered";
    }

    static String held(JsonNode r) {
        if (r == null) {
            return "not run";
        }
        JsonNode x = r.path("results");
        return x.path("held_alive_at_end").asText() + " of " + r.path("load").path("connections").asText() + " (failed " + x.path("failed").asText() + ")";
    }

    static String mem(JsonNode r) {
        if (r == null) {
            return "not run";
        }
        JsonNode m = r.path("results").path("server_memory");
        return "heap " + m.path("heap_after_gc_per_connection_kb").asText("?") + " KB; RSS " + m.path("rss_per_connection_kb").asText("?") + " KB";
    }
}
