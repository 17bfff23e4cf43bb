package io.parley.gateway.app;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code deadLetters}: parked events per processor as details (-1 = could not be read). The
 * status stays UP: a parked event is for an operator to look at (docs/design.md section 4, projection faults),
 * not a reason to take the node out of a load balancer; the processor itself goes on.
 */
@Component("deadLettersHealthIndicator")
class DeadLetterHealthIndicator extends AbstractHealthIndicator {

    private final DeadLetters deadLetters;

    DeadLetterHealthIndicator(DeadLetters deadLetters) {
        super("Dead-letter queues could not be read");
        this.deadLetters = deadLetters;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        deadLetters.queues().keySet().forEach(name -> builder.withDetail(name, deadLetters.count(name)));
    }
}
