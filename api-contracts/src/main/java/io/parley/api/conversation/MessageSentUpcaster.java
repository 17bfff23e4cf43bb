package io.parley.api.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Set;

/**
 * Reads a {@link MessageSent} stored at revision 1 (or, as the earliest rows were written, with no revision) or 2
 * as revision 3: the same fields, {@code mentions: []} where absent, since no message mentioned anyone before
 * mentions existed (revision 2), and {@code forwardedFrom: null}, since nothing was forwarded before forwarding
 * existed (revision 3). One step for both, so the chain needs no ordering. Stored events are never rewritten (docs/design.md, section 3: schemas evolve through upcasters); this
 * runs on every read of the event store, in the embedded JDBC engine and on Axon Server alike.
 */
public final class MessageSentUpcaster extends SingleEventUpcaster {
    static final String TYPE = MessageSent.class.getName();
    static final Set<String> FROM = Set.of("1", "2");
    static final String TO = "3";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return TYPE.equals(representation.getType().getName())
                && (representation.getType().getRevision() == null
                || FROM.contains(representation.getType().getRevision()));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, TO), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event) {
                if (!event.has("mentions")) {
                    event.putArray("mentions");
                }
                if (!event.has("forwardedFrom")) {
                    event.putNull("forwardedFrom");
                }
            }
            return payload;
        });
    }
}
