package io.parley.api.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Set;

/**
 * Reads a {@link MessagesDelivered} or {@link MessagesRead} stored at revision 1 (or with no revision) as revision
 * 2: the same fields and {@code withheld: []}. Before revision 2 a watermark was never raised past a message
 * withheld from its member, except by one set after an unblock: such old events read as covering everything, as
 * they did when stored. Stored events are never rewritten.
 */
public final class WatermarkWithheldUpcaster extends SingleEventUpcaster {
    static final Set<String> TYPES = Set.of(MessagesDelivered.class.getName(), MessagesRead.class.getName());
    static final String FROM = "1";
    static final String TO = "2";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        String revision = representation.getType().getRevision();
        return TYPES.contains(representation.getType().getName()) && (revision == null || FROM.equals(revision));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        String type = representation.getType().getName();
        return representation.upcastPayload(new SimpleSerializedType(type, TO), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && !event.has("withheld")) {
                event.putArray("withheld");
            }
            return payload;
        });
    }
}
