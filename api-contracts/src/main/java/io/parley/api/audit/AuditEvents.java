package io.parley.api.audit;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/** Events of the audit trail itself: who read the history, and how (README, "Audit"). */
public final class AuditEvents {
    private AuditEvents() {
    }

    /**
     * An auditor called an audit endpoint. {@code endpoint} is the route ({@code GET /api/audit/events}),
     * {@code filters} the request's parameters as given (absent ones left out). It belongs to no aggregate: it is
     * published as a plain event, so it sits in the global stream (and in the audit chain) like every other.
     */
    @Revision("1")
    public record AuditQueried(String auditorId, String endpoint, Map<String, String> filters, Instant at) {
    }
}
