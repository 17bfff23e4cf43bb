package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.bench.Options;
import io.parley.bench.scenario.Frames.Ack;
import io.parley.bench.scenario.Frames.Entry;
import io.parley.bench.scenario.Frames.SendMessage;
import io.parley.bench.scenario.Frames.Watermark;
import io.parley.bench.stats.Metric;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Scenarios that send messages: SEND -> ack on /user/queue/acks, SEND -> MESSAGE frames at the recipients. */
abstract class MessageScenario extends Scenario {

    /** One stretch of the schedule at one rate; its own figures. */
    static final class Phase {
        final String name;
        final double rate;
        final long start;
        final long end;
        final boolean measured;
        final int expected;
        final Metric ack = new Metric("ack");
        final Metric ackService = new Metric("ack_uncorrected");
        final Metric delivery = new Metric("delivery");
        final Metric last = new Metric("last_member");
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong ackErrors = new AtomicLong();
        final AtomicLong deliveries = new AtomicLong();
        final AtomicLong complete = new AtomicLong();

        Phase(String name, double rate, long start, long end, boolean measured, int expectedDeliveries) {
            this.name = name;
            this.rate = rate;
            this.start = start;
            this.end = end;
            this.measured = measured;
            this.expected = expectedDeliveries;
            if (measured) {
                for (Metric m : new Metric[]{ack, ackService, delivery, last}) {
                    m.window(start, end);
                }
            }
        }
    }

    static final class Pending {
        final Phase phase;
        final long intended;
        final long sentAt;
        final int senderIndex;
        final String conversationId;
        final AtomicInteger delivered = new AtomicInteger();
        volatile boolean acked;

        Pending(Phase phase, long intended, long sentAt, int senderIndex, String conversationId) {
            this.phase = phase;
            this.intended = intended;
            this.sentAt = sentAt;
            this.senderIndex = senderIndex;
            this.conversationId = conversationId;
        }
    }

    record Conv(String id, List<Conn> members) {
    }

    protected final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    protected final AtomicLong unknownFrames = new AtomicLong();
    /** Every ack and every delivery frame received, whatever phase its message belongs to. */
    protected final AtomicLong ackFrames = new AtomicLong();
    protected final AtomicLong deliveryFrames = new AtomicLong();
    private long[] windowCounts;
    private long windowStartNanos;
    protected final AtomicLong echoes = new AtomicLong();
    protected final AtomicLong errorQueueFrames = new AtomicLong();
    protected final int size;
    private final String padding;

    MessageScenario(String name, Options o) {
        super(name, o);
        this.size = o.integer("size", 100);
        this.padding = "x".repeat(Math.max(0, size - 50));
    }

    protected void send(Conv conv, Conn sender, Phase phase, long intended) {
        String cmid = newId();
        long now = System.nanoTime();
        pending.put(cmid, new Pending(phase, intended, now, sender.index, conv.id()));
        phase.sent.incrementAndGet();
        sender.session.send(SEND, new SendMessage(conv.id(), cmid, "bench " + cmid + " " + padding));
    }

    protected void onAcked(Pending p, Ack ack) {
    }

    protected void onReceipt(Conn c, Watermark w) {
    }

    @Override
    void subscribe(Conn c) {
        c.session.subscribe("/user/queue/messages", Entry.class, e -> onEntry(c, e));
        c.session.subscribe("/user/queue/acks", Ack.class, this::onAck);
        c.session.subscribe("/user/queue/receipts", Watermark.class, w -> onReceipt(c, w));
        c.session.subscribe("/user/queue/errors", JsonNode.class, e -> {
            errorQueueFrames.incrementAndGet();
            sample("/user/queue/errors: " + e);
        });
    }

    private void onAck(Ack ack) {
        long now = System.nanoTime();
        ackFrames.incrementAndGet();
        String cmid = ack.clientMessageId();
        Pending p = cmid == null ? null : pending.get(cmid);
        if (p == null) {
            unknownFrames.incrementAndGet();
            return;
        }
        if (ack.failed()) {
            p.phase.ackErrors.incrementAndGet();
            sample("ack error: " + ack);
            pending.remove(cmid);
            return;
        }
        p.phase.ack.record(p.intended, now);
        p.phase.ackService.record(p.sentAt, now);
        p.phase.acked.incrementAndGet();
        p.acked = true;
        onAcked(p, ack);
        if (p.delivered.get() >= p.phase.expected) {
            pending.remove(cmid);
        }
    }

    private void onEntry(Conn c, Entry e) {
        long now = System.nanoTime();
        deliveryFrames.incrementAndGet();
        if (e.kind() != null && !"MESSAGE".equals(e.kind())) {
            return;
        }
        if (e.senderId() != null && e.senderId().equals(c.user.id())) {
            echoes.incrementAndGet(); // the platform also sends a message to its sender's sessions
            return;
        }
        String cmid = e.clientMessageId();
        if (cmid == null) { // fall back to the id the text carries
            String text = e.text();
            if (text != null && text.startsWith("bench ") && text.length() >= 42) {
                cmid = text.substring(6, 42);
            }
        }
        Pending p = cmid == null ? null : pending.get(cmid);
        if (p == null) {
            unknownFrames.incrementAndGet();
            return;
        }
        if (c.index == p.senderIndex) {
            echoes.incrementAndGet();
            return;
        }
        p.phase.delivery.record(p.intended, now);
        p.phase.deliveries.incrementAndGet();
        int n = p.delivered.incrementAndGet();
        if (n == p.phase.expected) {
            p.phase.last.record(p.intended, now);
            p.phase.complete.incrementAndGet();
            if (p.acked) {
                pending.remove(cmid);
            }
        }
    }

    @Override
    protected void measureStart() {
        windowStartNanos = System.nanoTime();
        windowCounts = new long[]{ackFrames.get(), deliveryFrames.get()};
        super.measureStart();
    }

    /** What the server actually served during the measured window (backlog included), per second. */
    protected Map<String, Object> servedInWindow(long windowEndNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (windowCounts == null) {
            return m;
        }
        double secs = (windowEndNanos - windowStartNanos) / 1e9;
        m.put("acks_received_per_s", Math.round((ackFrames.get() - windowCounts[0]) / secs));
        m.put("delivery_frames_received_per_s", Math.round((deliveryFrames.get() - windowCounts[1]) / secs));
        return m;
    }

    /** Waits (bounded) until nothing sent in a measured phase is still waiting for its ack or deliveries. */
    protected void awaitAnswers() throws InterruptedException {
        long until = System.nanoTime() + seconds("answer-timeout", 15);
        while (System.nanoTime() < until) {
            boolean any = false;
            for (Pending p : pending.values()) {
                if (p.phase.measured) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return;
            }
            Thread.sleep(100);
        }
    }

    protected Map<String, Object> phaseReport(Phase ph, boolean withDeliveries) {
        double secs = (ph.end - ph.start) / 1e9;
        long unacked = 0;
        long incomplete = 0;
        for (Pending p : pending.values()) {
            if (p.phase == ph) {
                if (!p.acked) {
                    unacked++;
                }
                if (p.delivered.get() < ph.expected) {
                    incomplete++;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_rate_msg_s", ph.rate);
        m.put("seconds", Math.round(secs * 10) / 10.0);
        m.put("sent", ph.sent.get());
        m.put("send_rate_msg_s", Math.round(ph.sent.get() / secs));
        m.put("acked", ph.acked.get());
        m.put("ack_rate_msg_s", Math.round(ph.acked.get() / secs));
        m.put("ack_errors", ph.ackErrors.get());
        m.put("unacked_after_timeout", unacked);
        Histogram ack = ph.ack.total();
        m.put("ack_latency", Metric.summary(ack));
        m.put("ack_latency_uncorrected_from_actual_send", Metric.summary(ph.ackService.total()));
        if (withDeliveries) {
            m.put("deliveries", ph.deliveries.get());
            m.put("deliveries_per_s", Math.round(ph.deliveries.get() / secs));
            m.put("expected_deliveries_per_message", ph.expected);
            m.put("messages_fully_delivered", ph.complete.get());
            m.put("messages_not_fully_delivered_after_timeout", incomplete);
            m.put(ph.expected == 1 ? "end_to_end_latency" : "delivery_latency_each_member", Metric.summary(ph.delivery.total()));
            if (ph.expected > 1) {
                m.put("latency_to_last_member", Metric.summary(ph.last.total()));
            }
        }
        return m;
    }

    protected String progressLine(Phase ph) {
        Histogram a = ph.ack.interval();
        Histogram d = ph.delivery.interval();
        ph.last.interval();
        return String.format("%s rate=%.0f/s sent=%d acked=%d deliv=%d pending=%d | ack %s | deliver %s", ph.name, ph.rate,
                ph.sent.get(), ph.acked.get(), ph.deliveries.get(), pending.size(), Metric.line(a), Metric.line(d));
    }

    protected void generatorFacts() {
        Map<String, Object> gen = report.section("generator");
        gen.put("frames_for_unknown_messages", unknownFrames.get());
        gen.put("own_message_echoes_ignored", echoes.get());
        gen.put("error_queue_frames", errorQueueFrames.get());
    }

    protected static List<Conn> pick(List<Conn> all, int from, int n) {
        return new ArrayList<>(all.subList(from, from + n));
    }

    protected static long now() {
        return System.nanoTime();
    }

}
