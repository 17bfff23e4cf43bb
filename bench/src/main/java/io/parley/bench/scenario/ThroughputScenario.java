package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stats.Metric;
import io.parley.bench.stats.ServerMetrics;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code throughput}: the {@code direct} load in steps of rising rate (each step {@code --step-seconds}, rate
 * times {@code --factor}) until a step's ack p99 passes {@code --p99-limit-ms} (100), acks fall behind the
 * offered rate, or the projections fall behind. The highest sustained rate is the highest step that passed
 * all three, re-checked once every answer is in.
 */
public final class ThroughputScenario extends MessageScenario {

    private volatile Phase current;

    public ThroughputScenario(Options o) {
        super("throughput", o);
    }

    @Override
    protected void run() throws Exception {
        int pairs = o.integer("pairs", 100);
        double rate = o.dbl("start-rate", 250);
        double factor = o.dbl("factor", 1.25);
        double maxRate = o.dbl("max-rate", 50_000);
        double limitMs = o.dbl("p99-limit-ms", 100);
        double maxLagMs = o.dbl("max-projection-lag-ms", 5000);
        int maxSteps = o.integer("max-steps", 20);
        long warmup = seconds("warmup", 10);
        long step = seconds("step-seconds", 10);
        List<User> users = users(2 * pairs);
        List<Conn> cs = connectAll(users, "m", "a", "r", "e");
        List<Conv> convs = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            convs.add(new Conv(api.direct(users.get(2 * k), users.get(2 * k + 1)), List.of(cs.get(2 * k), cs.get(2 * k + 1))));
        }
        progress("set-up: %d pairs; warm-up %ds at %.0f msg/s, then steps of %ds x%.2f until ack p99 > %.0f ms",
                pairs, TimeUnit.NANOSECONDS.toSeconds(warmup), rate, TimeUnit.NANOSECONDS.toSeconds(step), factor, limitMs);
        Op op = (i, t) -> {
            Conv c = convs.get((int) (i % pairs));
            send(c, c.members().get((int) ((i / pairs) % 2)), current, t);
        };
        long start = System.nanoTime() + ms(200);
        Phase warm = new Phase("warm-up", rate, start, start + warmup, false, 1);
        current = warm;
        ScheduledFuture<?> pr = everyProgressInterval(() -> progressLine(current));
        long idx = pace(rate, warm.start, warm.end, 0, op);
        measureStart();
        long t = warm.end;
        List<Phase> steps = new ArrayList<>();
        Map<Integer, Map<String, Double>> lagAtStepEnd = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, String> liveFail = new java.util.concurrent.ConcurrentHashMap<>();
        long msgs = 0;
        String stopReason = "max-steps or max-rate reached";
        for (int s = 0; s < maxSteps && rate <= maxRate && System.nanoTime() < deadlineNanos && !haltPacer; s++) {
            Phase ph = new Phase("step " + (s + 1), Math.round(rate), t, t + step, true, 1);
            steps.add(ph);
            current = ph;
            int stepNo = s;
            // judged off the pacer thread, so the next step starts on time
            timers.schedule(() -> {
                Map<String, Double> lag = ServerMetrics.lagGauges(prom.scrape());
                lagAtStepEnd.put(stepNo, lag);
                String why = liveVerdict(ph, limitMs, maxLagMs, lag);
                progress("%s at %.0f msg/s: %s", ph.name, ph.rate, why == null ? "passed" : "FAILED (" + why + ")");
                if (why != null) {
                    liveFail.put(stepNo, why);
                    haltPacer = true;
                }
            }, Math.max(0, ph.end - System.nanoTime()), TimeUnit.NANOSECONDS);
            long n = pace(ph.rate, ph.start, ph.end, idx, op);
            idx += n;
            msgs += n;
            t = ph.end;
            rate = rate * factor;
        }
        Thread.sleep(300);
        if (!liveFail.isEmpty()) {
            int first = liveFail.keySet().stream().min(Integer::compare).orElse(0);
            stopReason = steps.get(first).name + ": " + liveFail.get(first);
        }
        awaitAnswers();
        pr.cancel(false);
        measureEnd(msgs, "message");
        List<Map<String, Object>> stepReports = new ArrayList<>();
        double best = 0;
        boolean broken = false;
        for (int s = 0; s < steps.size(); s++) {
            Phase ph = steps.get(s);
            Map<String, Object> r = phaseReport(ph, true);
            Map<String, Double> lag = lagAtStepEnd.getOrDefault(s, Map.of());
            boolean cut = ph.sent.get() < ph.rate * (ph.end - ph.start) / 1e9 * 0.95 && s == steps.size() - 1 && !liveFail.isEmpty();
            if (!lag.isEmpty()) {
                r.put("projection_lag_ms_at_step_end", lag);
            }
            String why = cut ? "cut short: the ramp had failed in the step before" : finalVerdict(ph, r, limitMs, maxLagMs, lag);
            r.put("sustained", why == null);
            if (why != null) {
                r.put("not_sustained_because", why);
                broken = true;
            } else if (!broken) {
                best = ph.rate;
            }
            stepReports.add(r);
        }
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("pairs", pairs);
        load.put("start_rate_msg_s", o.dbl("start-rate", 250));
        load.put("factor", factor);
        load.put("step_s", TimeUnit.NANOSECONDS.toSeconds(step));
        load.put("p99_limit_ms", limitMs);
        load.put("max_projection_lag_ms", maxLagMs);
        report.put("load", load);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("highest_sustained_rate_msg_s", best);
        res.put("stopped_because", stopReason);
        res.put("steps", stepReports);
        report.put("results", res);
        report.put("projections", projectionDrain());
        generatorFacts();
    }

    /** During the run: a lower bound of the step's ack p99 (unanswered messages count at their age). */
    private String liveVerdict(Phase ph, double limitMs, double maxLagMs, Map<String, Double> lag) {
        Histogram h = ph.ack.total();
        long now = System.nanoTime();
        long waiting = 0;
        for (Pending p : pending.values()) {
            if (p.phase == ph && !p.acked) {
                h.recordValue(Math.min(h.getHighestTrackableValue(), (now - p.intended) / 1000));
                waiting++;
            }
        }
        if (ph.sent.get() < ph.rate * (ph.end - ph.start) / 1e9 * 0.95) {
            return "the generator could not send at this rate";
        }
        double p99 = Metric.ms(h.getValueAtPercentile(99));
        if (p99 > limitMs) {
            return String.format("ack p99 >= %.1f ms (%d still unanswered)", p99, waiting);
        }
        double maxLag = lag.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (maxLag > maxLagMs) {
            return String.format("projection lag %.0f ms > %.0f ms", maxLag, maxLagMs);
        }
        return null;
    }

    private String finalVerdict(Phase ph, Map<String, Object> r, double limitMs, double maxLagMs, Map<String, Double> lag) {
        @SuppressWarnings("unchecked")
        double p99 = (double) ((Map<String, Object>) r.get("ack_latency")).get("p99_ms");
        long unacked = (long) r.get("unacked_after_timeout");
        long incomplete = (long) r.get("messages_not_fully_delivered_after_timeout");
        long errors = (long) r.get("ack_errors");
        if (unacked + errors > ph.sent.get() / 1000) {
            return unacked + " unacked, " + errors + " errors";
        }
        if (incomplete > ph.sent.get() / 1000) {
            return incomplete + " not delivered live";
        }
        if (p99 > limitMs) {
            return "ack p99 " + p99 + " ms > " + limitMs + " ms";
        }
        if (ph.sent.get() < ph.rate * (ph.end - ph.start) / 1e9 * 0.95) {
            return "generator-bound";
        }
        double maxLag = lag.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (maxLag > maxLagMs) {
            return "projection lag " + Math.round(maxLag) + " ms";
        }
        return null;
    }
}
