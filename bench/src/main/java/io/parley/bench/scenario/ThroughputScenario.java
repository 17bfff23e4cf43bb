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
 * offered rate, or the projections fall behind; a failed step is tried again at the same rate ({@code --retries},
 * default 1: this machine is shared, one stall must not end the ramp). The highest sustained rate is the highest
 * rate at which a step passed, every lower rate having passed too, re-checked once every answer is in.
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
        List<Conn> cs = connectAll(users);
        List<Conv> convs = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            convs.add(new Conv(api.direct(users.get(2 * k), users.get(2 * k + 1)), List.of(cs.get(2 * k), cs.get(2 * k + 1))));
        }
        progress("set-up: %d pairs; warm-up %ds at %.0f msg/s, then steps of %ds x%.2f until ack p99 > %.0f ms",
                pairs, TimeUnit.NANOSECONDS.toSeconds(warmup), rate, TimeUnit.NANOSECONDS.toSeconds(step), factor, limitMs);
        Pacer.Op op = (i, t) -> {
            Conv c = convs.get((int) (i % pairs));
            send(c, c.members().get((int) ((i / pairs) % 2)), current, t);
        };
        long start = System.nanoTime() + ms(200);
        Phase warm = new Phase("warm-up", rate, start, start + warmup, false, 1);
        current = warm;
        ScheduledFuture<?> pr = everyProgressInterval(() -> progressLine(current));
        long idx = pace(rate, warm.start, warm.end, 0, op);
        int retries = o.integer("retries", 1);
        timers.execute(this::measureStart);
        List<Phase> steps = new ArrayList<>();
        Map<Integer, Map<String, Double>> lagAtStepEnd = new java.util.HashMap<>();
        Map<Integer, String> liveFail = new java.util.HashMap<>();
        long msgs = 0;
        String stopReason = "max-steps or max-rate reached";
        int failuresAtThisRate = 0;
        long t = warm.end;
        for (int s = 0; s < maxSteps && rate <= maxRate && System.nanoTime() < deadlineNanos; s++) {
            Phase ph = new Phase("step " + (s + 1), Math.round(rate), t, t + step, true, 1);
            steps.add(ph);
            current = ph;
            long n = pace(ph.rate, ph.start, ph.end, idx, op);
            idx += n;
            msgs += n;
            // judged between steps (a pause of a few ms without load, not a stall under load)
            Map<String, Double> lag = ServerMetrics.lagGauges(prom.scrape());
            lagAtStepEnd.put(s, lag);
            String why = liveVerdict(ph, limitMs, maxLagMs, lag);
            progress("%s at %.0f msg/s: %s", ph.name, ph.rate, why == null ? "passed" : "FAILED (" + why + ")");
            t = System.nanoTime() + ms(50);
            if (why == null) {
                failuresAtThisRate = 0;
                rate = rate * factor;
                continue;
            }
            liveFail.put(s, why);
            if (++failuresAtThisRate > retries) {
                stopReason = ph.name + " at " + Math.round(ph.rate) + " msg/s: " + why;
                break;
            }
            progress("retrying %.0f msg/s (%d of %d)", ph.rate, failuresAtThisRate, retries);
        }
        awaitAnswers();
        pr.cancel(false);
        measureEnd(msgs, "message");
        List<Map<String, Object>> stepReports = new ArrayList<>();
        java.util.TreeMap<Double, Boolean> passedAtRate = new java.util.TreeMap<>();
        for (int s = 0; s < steps.size(); s++) {
            Phase ph = steps.get(s);
            Map<String, Object> r = phaseReport(ph, true);
            Map<String, Double> lag = lagAtStepEnd.getOrDefault(s, Map.of());
            if (!lag.isEmpty()) {
                r.put("projection_lag_ms_at_step_end", lag);
            }
            String why = finalVerdict(ph, r, limitMs, maxLagMs, lag);
            r.put("sustained", why == null);
            if (why != null) {
                r.put("not_sustained_because", why);
            }
            passedAtRate.merge(ph.rate, why == null, Boolean::logicalOr);
            stepReports.add(r);
        }
        double best = 0;
        for (Map.Entry<Double, Boolean> e : passedAtRate.entrySet()) {
            if (!e.getValue()) {
                break;
            }
            best = e.getKey();
        }
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("pairs", pairs);
        load.put("start_rate_msg_s", o.dbl("start-rate", 250));
        load.put("factor", factor);
        load.put("step_s", TimeUnit.NANOSECONDS.toSeconds(step));
        load.put("p99_limit_ms", limitMs);
        load.put("max_projection_lag_ms", maxLagMs);
        load.put("retries_per_rate", retries);
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
