package io.parley.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event as an auditor sees it. {@code payload} is the event's JSON as stored (revision {@code revision});
 * {@code aggregateType} is null for events published outside an aggregate. Nulls are written, not left out:
 * export lines all have the same fields.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditEntry(long position, String type, String revision, String aggregateType, String aggregateId,
                         long aggregateSeq, Instant timestamp, String actorId, JsonNode payload) {
}
