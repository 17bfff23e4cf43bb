package io.parley.gateway.app;

import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every processor parks what its handlers fail on and goes on (docs/design.md section 4, projection faults):
 * the queues themselves come from {@code axon.eventhandling.processors.*.dlq}; this registers the one enqueue
 * policy they all use, which always parks and makes the stored cause safe for PostgreSQL ({@link ParkingPolicy}).
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    ConfigurerModule parkEveryFailure() {
        ParkingPolicy policy = new ParkingPolicy();
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerDefaultDeadLetterPolicy(config -> policy));
    }
}
