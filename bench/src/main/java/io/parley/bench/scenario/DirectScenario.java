package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.rest.PlatformClient.User;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code direct}: pairs of users in direct chats, messages at a fixed open-loop rate spread over the pairs,
 * alternating sides. Figures: SEND -> ack and SEND -> the recipient's MESSAGE frame.
 */
public final class DirectScenario extends MessageScenario {

    private volatile Phase current;

    public DirectScenario(Options o) {
        super("direct", o);
    }

    @Override
    protected void run() throws Exception {
        int pairs = o.integer("pairs", 50);
        double rate = o.dbl("rate", 1000);
        long warmup = seconds("warmup", 10);
        long duration = seconds("duration", 30);
        List<User> users = users(2 * pairs);
        List<Conv> convs = new ArrayList<>();
        List<Conn> cs = connectAll(users);
        for (int k = 0; k < pairs; k++) {
            convs.add(new Conv(api.direct(users.get(2 * k), users.get(2 * k + 1)), List.of(cs.get(2 * k), cs.get(2 * k + 1))));
        }
        progress("set-up: %d pairs connected, %d direct conversations; warm-up %ds at %.0f msg/s, then %ds measured",
                pairs, pairs, TimeUnit.NANOSECONDS.toSeconds(warmup), rate, TimeUnit.NANOSECONDS.toSeconds(duration));
        long start = System.nanoTime() + ms(200);
        Phase warm = new Phase("warm-up", rate, start, start + warmup, false, 1);
        Phase main = new Phase("measured", rate, start + warmup, start + warmup + duration, true, 1);
        current = warm;
        ScheduledFuture<?> pr = everyProgressInterval(() -> progressLine(current));
        timers.schedule(this::measureStart, Math.max(0, main.start - System.nanoTime()), TimeUnit.NANOSECONDS);
        Pacer.Op op = (i, t) -> {
            int pair = (int) (i % pairs);
            Conv c = convs.get(pair);
            Conn sender = c.members().get((int) ((i / pairs) % 2));
            send(c, sender, t < main.start ? warm : main, t);
        };
        long n = pace(rate, warm.start, warm.end, 0, op);
        current = main;
        long m = pace(rate, main.start, main.end, n, op);
        Map<String, Object> served = servedInWindow(System.nanoTime());
        awaitAnswers();
        pr.cancel(false);
        measureEnd(m, "message");
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("pairs", pairs);
        load.put("users", 2 * pairs);
        load.put("rate_msg_s", rate);
        load.put("warmup_s", TimeUnit.NANOSECONDS.toSeconds(warmup));
        load.put("measured_s", TimeUnit.NANOSECONDS.toSeconds(duration));
        load.put("message_text_chars", size);
        report.put("load", load);
        Map<String, Object> results = phaseReport(main, true);
        results.put("served_during_window_any_message", served);
        report.put("results", results);
        report.put("projections", projectionDrain());
        generatorFacts();
    }
}
