package io.parley.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.parley.projections.audit.StoredEvent;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Turns stored rows into auditor entries and typed payloads. The entry's {@code payload} is the stored JSON itself;
 * the typed payload (for actors and the state rebuild) goes through the upcaster chain first, as the storage
 * engine reads events, so an old revision is seen in today's shape. Personal data in the JSON is shown decrypted, or
 * as {@code [erased]} once its author's account was deleted (README, Account deletion): the hash chain covers the
 * stored bytes, which stay as they are. A row whose bytes no longer parse (altered
 * in the database) still appears, its payload as text and without an actor: the audit shows the store as it is.
 */
public final class EventDecoder {

    private final Serializer serializer;
    private final EventUpcaster upcasters;
    private final ObjectMapper json;
    private final UnaryOperator<JsonNode> readable;

    public EventDecoder(Serializer eventSerializer, EventUpcaster upcasters, ObjectMapper json) {
        this(eventSerializer, upcasters, json, UnaryOperator.identity());
    }

    /** {@code readable}: turns a stored payload tree into what auditors read (decrypts personal data). */
    public EventDecoder(Serializer eventSerializer, EventUpcaster upcasters, ObjectMapper json,
                        UnaryOperator<JsonNode> readable) {
        this.serializer = eventSerializer;
        this.upcasters = upcasters;
        this.json = json;
        this.readable = readable;
    }

    /**
     * The payload object; null when it cannot be read (altered bytes). A class this JVM does not know comes back
     * as Axon's {@code UnknownSerializedType}, which {@link EventParties} does not list.
     */
    public Object payload(StoredEvent row) {
        DomainEventData<byte[]> data = new GenericDomainEventEntry<>(row.aggregateType(), row.aggregateId(),
                row.aggregateSeq(), row.eventId(), row.timestamp(), row.payloadType(), row.revision(), row.payload(),
                row.metaData());
        try {
            // the upcaster chain itself rather than EventStreamUtils, which insists on an aggregate type: events
            // published outside an aggregate (AuditQueried) have none
            Optional<IntermediateEventRepresentation> upcast = upcasters
                    .upcast(Stream.of(new InitialEventRepresentation(data, serializer))).findFirst();
            if (upcast.isEmpty()) {
                return null;
            }
            return serializer.deserialize(upcast.get().getData());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    public AuditEntry entry(StoredEvent row, Object payload) {
        return new AuditEntry(row.position(), row.typeName(), row.revision(), row.aggregateType(), row.aggregateId(),
                row.aggregateSeq(), row.instant(), EventParties.of(payload).actorId(), storedJson(row.payload()));
    }

    private JsonNode storedJson(byte[] payload) {
        if (payload == null) {
            return null;
        }
        try {
            return readable.apply(json.readTree(payload));
        } catch (IOException notJson) {
            return TextNode.valueOf(new String(payload, StandardCharsets.UTF_8));
        }
    }
}
