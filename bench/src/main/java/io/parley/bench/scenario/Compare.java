package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.bench.Options;
import io.parley.bench.stats.Report;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code compare}: the platform against the baseline from two {@code direct} reports (same options), and
 * optionally two {@code throughput} reports: platform p50/p99 / baseline p50/p99, platform max rate / baseline
 * max rate.
 */
public final class Compare {

    private Compare() {
    }

    public static void run(Options o) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Report r = new Report();
        r.put("scenario", "compare");
        String pd = o.str("platform", null);
        String bd = o.str("baseline", null);
        if (pd != null && bd != null) {
            JsonNode p = json.readTree(new File(pd));
            JsonNode b = json.readTree(new File(bd));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("platform_report", pd);
            d.put("baseline_report", bd);
            d.put("platform_load", json.convertValue(p.path("load"), Map.class));
            d.put("baseline_load", json.convertValue(b.path("load"), Map.class));
            for (String fig : new String[]{"end_to_end_latency", "ack_latency"}) {
                Map<String, Object> f = new LinkedHashMap<>();
                for (String pct : new String[]{"p50_ms", "p90_ms", "p99_ms", "p99_9_ms", "max_ms"}) {
                    double pv = p.path("results").path(fig).path(pct).asDouble();
                    double bv = b.path("results").path(fig).path(pct).asDouble();
                    boolean answered = p.path("results").path(fig).path("count").asLong() > 0;
                    f.put(pct.replace("_ms", ""), answered ? pv + " / " + bv + " ms = " + (bv > 0 ? Math.round(pv / bv * 100) / 100.0 : "-")
                            : "platform: no answer within the timeout; baseline " + bv + " ms");
                }
                d.put(fig, f);
            }
            r.put("direct", d);
        }
        String pt = o.str("platform-throughput", null);
        String bt = o.str("baseline-throughput", null);
        if (pt != null && bt != null) {
            double pv = json.readTree(new File(pt)).path("results").path("highest_sustained_rate_msg_s").asDouble();
            double bv = json.readTree(new File(bt)).path("results").path("highest_sustained_rate_msg_s").asDouble();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("platform_report", pt);
            t.put("baseline_report", bt);
            t.put("platform_max_rate_msg_s", pv);
            t.put("baseline_max_rate_msg_s", bv);
            t.put("ratio", bv > 0 ? Math.round(pv / bv * 1000) / 1000.0 : -1);
            r.put("throughput", t);
        }
        Path[] files = r.write(Path.of(o.str("out", "bench/results")), "compare");
        System.out.print(r.text());
        System.out.println("written: " + files[0] + " and " + files[1]);
    }
}
