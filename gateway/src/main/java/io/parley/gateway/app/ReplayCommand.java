package io.parley.gateway.app;

import io.parley.projections.replay.ReplayProperties;
import io.parley.projections.replay.ReplayState;
import io.parley.projections.replay.ReplayStatus;
import io.parley.projections.replay.Replays;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar parley-gateway.jar --replay=all} (or {@code --replay=conversation-views,message-search}):
 * the platform starts on its data directory as usual (without taking its HTTP port, see
 * {@link GatewayApplication#main}), runs the replay the admin endpoint would run, prints its progress and
 * exits 0 when the rebuilt views serve, 1 when it failed (README, "Replay"). Meant for a stopped platform.
 */
@Component
class ReplayCommand implements ApplicationRunner {

    static final String OPTION = "replay";

    private final Replays replays;
    private final ReplayProperties properties;
    private final ConfigurableApplicationContext context;

    ReplayCommand(Replays replays, ReplayProperties properties, ConfigurableApplicationContext context) {
        this.replays = replays;
        this.properties = properties;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        if (!args.containsOption(OPTION)) {
            return;
        }
        List<String> values = args.getOptionValues(OPTION);
        String value = values.isEmpty() ? "all" : values.get(0);
        List<String> processors = "all".equals(value) ? null
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        ReplayStatus status = replays.start(processors);
        System.out.printf("replay %s: rebuilding %s%n", status.id(), status.processors());
        while (status.state() == ReplayState.RUNNING) {
            Thread.sleep(Math.max(200, Math.min(properties.progressLogInterval().toMillis(), 2_000)));
            status = replays.status(status.id()).orElseThrow();
            System.out.printf("replay %s: %s %d/%d events, %.0f events/s, ETA %s s%n", status.id(), status.state(),
                    status.eventsDone(), status.eventsTotal(), status.eventsPerSecond(), status.etaSeconds());
        }
        int code = status.state() == ReplayState.DONE ? 0 : 1;
        if (code != 0) {
            System.out.println("replay failed: " + status.error());
        }
        int exit = SpringApplication.exit(context, () -> code);
        System.exit(exit);
    }
}
