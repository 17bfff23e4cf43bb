package io.parley.gateway.app;

import io.parley.query.analytics.ProcessorLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Projection lag in Actuator metrics, one pair of gauges per streaming processor (tag {@code processor}):
 * {@code parley.processor.lag} in events and {@code parley.processor.lag.time} in milliseconds (see
 * {@link ProcessorLag} for both definitions; -1 = unknown on this node). Registered once the application is
 * ready, when Axon has built every processor.
 */
@Component
class ProcessorLagMetrics {

    private final ProcessorLag lag;
    private final MeterRegistry registry;

    ProcessorLagMetrics(ProcessorLag lag, MeterRegistry registry) {
        this.lag = lag;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        for (String name : lag.processors().keySet()) {
            Gauge.builder("parley.processor.lag", lag, l -> l.of(name).events())
                    .tag("processor", name).baseUnit("events")
                    .description("Events in the store the processor has not handled yet")
                    .register(registry);
            Gauge.builder("parley.processor.lag.time", lag, l -> l.of(name).ms())
                    .tag("processor", name).baseUnit("milliseconds")
                    .description("Age of the oldest event the processor has not handled yet (0 when caught up)")
                    .register(registry);
        }
    }
}
