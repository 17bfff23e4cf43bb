package io.parley.api.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Objects;

/**
 * Reads a {@link MessageSent} stored at revision 3 as revision 4: the same fields and {@code withheldFrom: []},
 * since no message was withheld from anyone before blocking withheld messages. It runs after
 * {@link MessageSentUpcaster} (1 and 2 to 3) in the chain, so older events arrive here as revision 3.
 */
public final class MessageSentWithheldUpcaster extends SingleEventUpcaster {
    static final String TYPE = MessageSent.class.getName();
    static final String FROM = "3";
    static final String TO = "4";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return TYPE.equals(representation.getType().getName())
                && Objects.equals(FROM, representation.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, TO), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && !event.has("withheldFrom")) {
                event.putArray("withheldFrom");
            }
            return payload;
        });
    }
}
