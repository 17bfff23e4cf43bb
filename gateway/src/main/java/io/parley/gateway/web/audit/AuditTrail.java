package io.parley.gateway.web.audit;

import io.parley.api.audit.AuditEvents.AuditQueried;
import org.axonframework.eventhandling.gateway.EventGateway;
import io.parley.projections.audit.AuditChainConfiguration;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Map;

/**
 * Records every audit request as an {@link AuditQueried} event before it is answered, so the history of who read
 * the history is part of that history (and of its hash chain), readable through the same API.
 * <p>
 * Published through Axon's {@link EventGateway} as an event of no aggregate: reading decides nothing, so there is
 * no rule to check and no state to load. An aggregate (per auditor, say) would add a command round trip and a
 * lock per auditor for nothing, and its sequence numbers would make concurrent reads by one auditor conflict.
 * The JDBC engine stores such an event with its own id as aggregate id and sequence 0 (README, "Audit").
 */
@Component
@Conditional(AuditChainConfiguration.JdbcEventStore.class)
class AuditTrail {

    private final EventGateway events;
    private final Clock clock;

    AuditTrail(EventGateway events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    void record(String auditorId, String endpoint, Map<String, String> filters) {
        events.publish(new AuditQueried(auditorId, endpoint, filters, clock.instant()));
    }
}
