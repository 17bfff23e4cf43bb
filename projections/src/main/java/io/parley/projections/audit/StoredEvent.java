package io.parley.projections.audit;

import org.axonframework.common.DateTimeUtils;

import java.time.Instant;

/**
 * One row of the event store as PostgreSQL holds it: Axon's {@code DomainEventEntry} table, bytes untouched (no
 * upcasting, no deserialization). Auditors see and the audit chain hashes exactly what is stored.
 *
 * @param position      the global index (the order of the event stream)
 * @param aggregateType null for an event published outside an aggregate ({@code AuditQueried})
 * @param aggregateId   for such an event, Axon stores the event's own id here and sequence 0
 * @param timestamp     as stored: Axon's fixed-width ISO-8601 text with milliseconds ({@link DateTimeUtils})
 */
public record StoredEvent(long position, String eventId, String aggregateType, String aggregateId, long aggregateSeq,
                          String timestamp, String payloadType, String revision, byte[] payload, byte[] metaData) {

    public Instant instant() {
        return DateTimeUtils.parseInstant(timestamp);
    }

    /** The event's name: its class's simple name ({@code MessageSent} for {@code ...ConversationEvents$MessageSent}). */
    public String typeName() {
        return simpleName(payloadType);
    }

    public static String simpleName(String payloadType) {
        return payloadType.substring(Math.max(payloadType.lastIndexOf('.'), payloadType.lastIndexOf('$')) + 1);
    }
}
