package io.parley.bench.scenario;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The open-loop schedule: operations at a fixed rate, each with the time it was meant to happen, and how late
 * the generator itself was against that schedule (its own share of every latency).
 */
final class Pacer {

    interface Op {
        void run(long index, long intendedNanos);
    }

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Recorder lateness = new Recorder(MAX_MICROS, 3);
    private final long deadlineNanos;
    private final BooleanSupplier stopped;

    Pacer(long deadlineNanos, BooleanSupplier stopped) {
        this.deadlineNanos = deadlineNanos;
        this.stopped = stopped;
    }

    /**
     * Calls {@code op} at {@code rate} per second from {@code start} until {@code end} (nanoTime), each call
     * with the time it was meant to happen. A late generator sends the backlog at once (never skips), so
     * latencies measured from the intended time include any stall: coordinated omission corrected.
     */
    long pace(double rate, long start, long end, long firstIndex, Op op) {
        long i = 0;
        double period = 1e9 / rate;
        while (!stopped.getAsBoolean()) {
            long t = start + (long) (i * period);
            if (t >= end || t >= deadlineNanos) {
                break;
            }
            long now = System.nanoTime();
            while (now < t) {
                LockSupport.parkNanos(t - now);
                now = System.nanoTime();
            }
            lateness.recordValue(Math.min(MAX_MICROS, (now - t) / 1000));
            op.run(firstIndex + i, t);
            i++;
        }
        return i;
    }

    /** Lateness counts from the measured window on. */
    void resetLateness() {
        lateness.reset();
    }

    Histogram lateness() {
        return lateness.getIntervalHistogram();
    }
}
