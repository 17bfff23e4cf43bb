package io.parley.gateway.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Parked events as an alert signal (docs/design.md section 4, projection faults): the gauge
 * {@code parley.deadletters} per processor (tag {@code processor}; -1 when the queue cannot be read), counted with
 * one {@code SELECT count(*)} per processor when scraped, never per event. See also {@link DeadLetterHealthIndicator}.
 */
@Component
class DeadLetterMetrics {

    private final DeadLetters deadLetters;
    private final MeterRegistry registry;

    DeadLetterMetrics(DeadLetters deadLetters, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    /** Once the application is ready, when Axon has built every processor and its queue. */
    @EventListener(ApplicationReadyEvent.class)
    void register() {
        for (String name : deadLetters.queues().keySet()) {
            Gauge.builder("parley.deadletters", deadLetters, d -> d.count(name))
                    .tag("processor", name).baseUnit("events")
                    .description("Events parked in the processor's dead-letter queue")
                    .register(registry);
        }
    }
}
