package io.parley.api.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Set;

/**
 * Reads a {@link MessageEdited}, {@link MessageDeleted} or {@link ReactionChanged} stored at revision 1 (or with
 * no revision) as revision 2: the same fields and {@code clientMessageId: null}, since no change carried the id of
 * the STOMP frame that asked for it before retried frames were deduplicated. Stored events are never rewritten.
 */
public final class ChangeClientMessageIdUpcaster extends SingleEventUpcaster {
    static final Set<String> TYPES = Set.of(MessageEdited.class.getName(), MessageDeleted.class.getName(),
            ReactionChanged.class.getName());
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
            if (payload instanceof ObjectNode event && !event.has("clientMessageId")) {
                event.putNull("clientMessageId");
            }
            return payload;
        });
    }
}
