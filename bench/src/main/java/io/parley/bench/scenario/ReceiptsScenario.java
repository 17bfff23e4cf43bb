package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.scenario.Frames.Ack;
import io.parley.bench.scenario.Frames.Receipt;
import io.parley.bench.scenario.Frames.Watermark;
import io.parley.bench.stats.Metric;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code receipts}: pairs in direct chats; A first sends enough messages (the prefill), then B acknowledges
 * them at a fixed open-loop rate of receipt SENDs, alternating {@code /app/receipts.delivered} (watermark + 1)
 * and {@code /app/receipts.read} (up to the delivered watermark). Figure: receipt SEND -> A's watermark frame
 * on {@code /user/queue/receipts}.
 */
public final class ReceiptsScenario extends MessageScenario {

    private final ConcurrentHashMap<String, long[]> seqs = new ConcurrentHashMap<>(); // conv -> {min, max}
    /** conv:KIND -> upToSeq -> intended send time; a watermark frame answers every receipt at or below it. */
    private final ConcurrentHashMap<String, java.util.concurrent.ConcurrentSkipListMap<Long, Long>> waiting = new ConcurrentHashMap<>();
    private final Metric delivered = new Metric("delivered");
    private final Metric read = new Metric("read");
    private final AtomicLong receiptsSent = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private volatile String phaseName = "prefill";

    public ReceiptsScenario(Options o) {
        super("receipts", o);
    }

    @Override
    protected void onAcked(Pending p, Ack ack) {
        long seq = ack.seq() == null ? -1 : ack.seq();
        if (seq >= 0) {
            seqs.compute(p.conversationId, (k, v) -> v == null ? new long[]{seq, seq}
                    : new long[]{Math.min(v[0], seq), Math.max(v[1], seq)});
        }
    }

    @Override
    protected void onReceipt(Conn c, Watermark frame) {
        long now = System.nanoTime();
        frames.incrementAndGet();
        String conv = frame.conversationId();
        String kind = frame.kind();
        String user = frame.userId();
        long upTo = frame.upToSeq() == null ? -1 : frame.upToSeq();
        if (conv == null || kind == null || c.user.id().equals(user)) {
            return; // own watermark echoed to own session
        }
        java.util.concurrent.ConcurrentSkipListMap<Long, Long> w = waiting.get(conv + ":" + kind.toUpperCase());
        if (w == null) {
            return;
        }
        // watermarks: the platform may coalesce several receipts into one frame for the highest seq
        Metric m = "READ".equalsIgnoreCase(kind) ? read : delivered;
        for (java.util.Iterator<Map.Entry<Long, Long>> it = w.headMap(upTo, true).entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            m.record(e.getValue(), now);
            matched.incrementAndGet();
            it.remove();
        }
    }

    private long waitingCount() {
        long n = 0;
        for (var m : waiting.values()) {
            n += m.size();
        }
        return n;
    }

    @Override
    protected void run() throws Exception {
        int pairs = o.integer("pairs", 50);
        double rate = o.dbl("rate", 1000);
        long warmup = seconds("warmup", 10);
        long duration = seconds("duration", 30);
        double prefillRate = o.dbl("prefill-rate", 1000);
        long needed = (long) Math.ceil(rate * (TimeUnit.NANOSECONDS.toSeconds(warmup + duration)) / 2.0 / pairs) + 2;
        long perConv = o.lng("prefill-per-conversation", needed);
        List<User> users = users(2 * pairs);
        List<Conn> cs = connectAll(users);
        List<Conv> convs = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            convs.add(new Conv(api.direct(users.get(2 * k), users.get(2 * k + 1)), List.of(cs.get(2 * k), cs.get(2 * k + 1))));
        }
        long total = perConv * pairs;
        progress("set-up: %d pairs; prefill %d messages (%d per conversation) at %.0f msg/s", pairs, total, perConv, prefillRate);
        long ps = System.nanoTime() + ms(100);
        Phase prefill = new Phase("prefill", prefillRate, ps, ps + (long) (total / prefillRate * 1e9), true, 1);
        ScheduledFuture<?> pr = everyProgressInterval(() -> "prefill".equals(phaseName) ? progressLine(prefill)
                : String.format("%s receipts sent=%d frames=%d matched=%d waiting=%d | delivered %s | read %s", phaseName,
                receiptsSent.get(), frames.get(), matched.get(), waitingCount(), Metric.line(delivered.interval()), Metric.line(read.interval())));
        pace(prefillRate, prefill.start, prefill.end, 0, (i, t) -> {
            Conv c = convs.get((int) (i % pairs));
            send(c, c.members().get(0), prefill, t);
        });
        long until = System.nanoTime() + seconds("answer-timeout", 30);
        while (pending.values().stream().anyMatch(p -> !p.acked) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        long usable = Long.MAX_VALUE;
        for (Conv c : convs) {
            long[] r = seqs.get(c.id());
            usable = Math.min(usable, r == null ? 0 : r[1] - r[0] + 1);
        }
        progress("prefill done: %d acked, at least %d acknowledged seqs per conversation", prefill.acked.get(), usable);
        // per conversation: {delivered watermark, read watermark}
        long[][] marks = new long[pairs][];
        for (int k = 0; k < pairs; k++) {
            long[] r = seqs.getOrDefault(convs.get(k).id(), new long[]{1, 0});
            marks[k] = new long[]{r[0] - 1, r[0] - 1, r[1]};
        }
        long start = System.nanoTime() + ms(200);
        long mStart = start + warmup;
        long mEnd = mStart + duration;
        delivered.window(mStart, mEnd);
        read.window(mStart, mEnd);
        phaseName = "receipts";
        timers.schedule(this::measureStart, Math.max(0, mStart - System.nanoTime()), TimeUnit.NANOSECONDS);
        AtomicLong measuredSent = new AtomicLong();
        AtomicLong exhausted = new AtomicLong();
        pace(rate, start, mEnd, 0, (i, t) -> {
            int k = (int) (i % pairs);
            long[] m = marks[k];
            Conv c = convs.get(k);
            Conn b = c.members().get(1);
            String kind;
            long upTo;
            if (m[1] < m[0]) {
                kind = "READ";
                upTo = m[0];
                m[1] = upTo;
            } else if (m[0] < m[2]) {
                kind = "DELIVERED";
                upTo = m[0] + 1;
                m[0] = upTo;
            } else {
                exhausted.incrementAndGet();
                return;
            }
            waiting.computeIfAbsent(c.id() + ":" + kind, x -> new java.util.concurrent.ConcurrentSkipListMap<>()).put(upTo, t);
            receiptsSent.incrementAndGet();
            if (t >= mStart) {
                measuredSent.incrementAndGet();
            }
            b.session.send("READ".equals(kind) ? READ : DELIVERED, new Receipt(c.id(), upTo));
        });
        long wait = System.nanoTime() + seconds("answer-timeout", 15);
        while (waitingCount() > 0 && System.nanoTime() < wait) {
            Thread.sleep(100);
        }
        pr.cancel(false);
        measureEnd(measuredSent.get(), "receipt");
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("pairs", pairs);
        load.put("receipt_rate_per_s", rate);
        load.put("prefill_messages", total);
        load.put("warmup_s", TimeUnit.NANOSECONDS.toSeconds(warmup));
        load.put("measured_s", TimeUnit.NANOSECONDS.toSeconds(duration));
        report.put("load", load);
        Map<String, Object> res = new LinkedHashMap<>();
        double secs = duration / 1e9;
        Histogram d = delivered.total();
        Histogram r = read.total();
        Histogram both = d.copy();
        both.add(r);
        res.put("receipts_sent_measured", measuredSent.get());
        res.put("receipt_send_rate_per_s", Math.round(measuredSent.get() / secs));
        res.put("receipts_answered_measured", both.getTotalCount());
        res.put("watermark_frames_received_total", frames.get());
        res.put("receipts_answered_per_s", Math.round(both.getTotalCount() / secs));
        res.put("unanswered_after_timeout", waitingCount());
        res.put("schedule_slots_without_a_message_to_ack", exhausted.get());
        res.put("receipt_to_watermark_frame", Metric.summary(both));
        res.put("delivered_to_frame", Metric.summary(d));
        res.put("read_to_frame", Metric.summary(r));
        res.put("prefill", phaseReport(prefill, true));
        report.put("results", res);
        report.put("projections", projectionDrain());
        generatorFacts();
    }
}
