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
 * {@code group}: groups of {@code --members} (default 100), messages at a fixed rate from members in turn;
 * every message fans out to members - 1 sessions. Figures: deliveries/s, latency to each member and to the
 * last member of the group, SEND -> ack.
 */
public final class GroupScenario extends MessageScenario {

    private volatile Phase current;

    public GroupScenario(Options o) {
        super("group", o);
    }

    @Override
    protected void run() throws Exception {
        int groups = o.integer("groups", 1);
        int members = o.integer("members", 100);
        double rate = o.dbl("rate", 100);
        long warmup = seconds("warmup", 10);
        long duration = seconds("duration", 30);
        List<User> users = users(groups * members);
        List<Conn> cs = connectAll(users);
        List<Conv> convs = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            List<User> gu = users.subList(g * members, (g + 1) * members);
            String id = api.group(gu.get(0), gu.subList(1, members), "bench group " + g);
            convs.add(new Conv(id, pick(cs, g * members, members)));
        }
        Thread.sleep(o.integer("settle-ms", 1500));
        progress("set-up: %d group(s) of %d connected; warm-up %ds at %.0f msg/s (%.0f deliveries/s), then %ds measured",
                groups, members, TimeUnit.NANOSECONDS.toSeconds(warmup), rate, rate * (members - 1), TimeUnit.NANOSECONDS.toSeconds(duration));
        long start = System.nanoTime() + ms(200);
        Phase warm = new Phase("warm-up", rate, start, start + warmup, false, members - 1);
        Phase main = new Phase("measured", rate, start + warmup, start + warmup + duration, true, members - 1);
        current = warm;
        ScheduledFuture<?> pr = everyProgressInterval(() -> progressLine(current));
        timers.schedule(this::measureStart, Math.max(0, main.start - System.nanoTime()), TimeUnit.NANOSECONDS);
        Pacer.Op op = (i, t) -> {
            Conv c = convs.get((int) (i % groups));
            Conn sender = c.members().get((int) ((i / groups) % members));
            send(c, sender, t < main.start ? warm : main, t);
        };
        long n = pace(rate, warm.start, warm.end, 0, op);
        current = main;
        long m = pace(rate, main.start, main.end, n, op);
        Map<String, Object> served = servedInWindow(System.nanoTime());
        awaitAnswers();
        pr.cancel(false);
        measureEnd(m * (members - 1), "delivery");
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("groups", groups);
        load.put("members_per_group", members);
        load.put("rate_msg_s", rate);
        load.put("offered_deliveries_per_s", rate * (members - 1));
        load.put("warmup_s", TimeUnit.NANOSECONDS.toSeconds(warmup));
        load.put("measured_s", TimeUnit.NANOSECONDS.toSeconds(duration));
        report.put("load", load);
        Map<String, Object> results = phaseReport(main, true);
        results.put("served_during_window_any_message", served);
        report.put("results", results);
        report.put("projections", projectionDrain());
        generatorFacts();
    }
}
