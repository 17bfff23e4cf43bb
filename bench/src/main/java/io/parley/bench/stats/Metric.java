package io.parley.bench.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One latency figure. Values are recorded in microseconds. A sample belongs to the measured window by its
 * <em>intended</em> time (when the open-loop schedule meant the operation to start), so warm-up is excluded
 * and a slow answer is never hidden by sending later (coordinated omission).
 */
public final class Metric {

    static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(10);

    private final String name;
    private final Recorder progress = new Recorder(HIGHEST_US, 3);
    private final Recorder measured = new Recorder(HIGHEST_US, 3);
    private final Histogram total = new Histogram(HIGHEST_US, 3);
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    public Metric(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void window(long startNanos, long endNanos) {
        this.windowStart = startNanos;
        this.windowEnd = endNanos;
    }

    public boolean inWindow(long intendedNanos) {
        return intendedNanos >= windowStart && intendedNanos < windowEnd;
    }

    /** Records {@code now - intended}. */
    public void record(long intendedNanos, long nowNanos) {
        long us = Math.max(0, (nowNanos - intendedNanos) / 1000);
        if (us > HIGHEST_US) {
            us = HIGHEST_US;
        }
        progress.recordValue(us);
        if (intendedNanos >= windowStart && intendedNanos < windowEnd) {
            measured.recordValue(us);
        }
    }

    /** The progress interval since the last call. */
    public Histogram interval() {
        return progress.getIntervalHistogram();
    }

    /** Everything measured in the window so far (cumulative). */
    public synchronized Histogram total() {
        total.add(measured.getIntervalHistogram());
        return total.copy();
    }

    public static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50_ms", ms(h.getValueAtPercentile(50)));
        m.put("p90_ms", ms(h.getValueAtPercentile(90)));
        m.put("p99_ms", ms(h.getValueAtPercentile(99)));
        m.put("p99_9_ms", ms(h.getValueAtPercentile(99.9)));
        m.put("max_ms", ms(h.getMaxValue()));
        m.put("mean_ms", h.getTotalCount() == 0 ? 0.0 : Math.round(h.getMean()) / 1000.0);
        return m;
    }

    public static double ms(long us) {
        return us / 1000.0;
    }

    public static String line(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "n=0";
        }
        return String.format("n=%d p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f ms", h.getTotalCount(),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }
}
