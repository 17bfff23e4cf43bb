package io.parley.api.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Objects;

/**
 * Reads a {@link MessageSent} stored at revision 1 (or, as the earliest rows were written, with no revision) as
 * revision 2: the same fields and {@code mentions: []}, since no message mentioned anyone before mentions
 * existed. Stored events are never rewritten (docs/design.md, section 3: schemas evolve through upcasters); this
 * runs on every read of the event store, in the embedded JDBC engine and on Axon Server alike.
 */
public final class MessageSentUpcaster extends SingleEventUpcaster {
    static final String TYPE = MessageSent.class.getName();
    static final String FROM = "1";
    static final String TO = "2";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return TYPE.equals(representation.getType().getName())
                && (representation.getType().getRevision() == null
                || Objects.equals(FROM, representation.getType().getRevision()));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, TO), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && !event.has("mentions")) {
                event.putArray("mentions");
            }
            return payload;
        });
    }
}
