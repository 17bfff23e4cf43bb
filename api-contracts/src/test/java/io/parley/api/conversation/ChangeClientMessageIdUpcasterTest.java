package io.parley.api.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edits, deletions, reactions and receipt watermarks stored at revision 1 (or without a revision), byte for byte as Axon's
 * JacksonSerializer wrote them before they carried a clientMessageId (a watermark: its withheld seqs), read through the application's chain; and
 * today's revision 2 written and read back with its clientMessageId.
 */
class ChangeClientMessageIdUpcasterTest {
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final JacksonSerializer SERIALIZER = JacksonSerializer.builder().objectMapper(MAPPER).build();
    private static final EventUpcasterChain CHAIN = new EventUpcasterChain(new MessageSentUpcaster(),
            new MessageSentWithheldUpcaster(), new ChangeClientMessageIdUpcaster(), new WatermarkWithheldUpcaster());

    private static DomainEventData<byte[]> stored(Class<?> type, String json, String revision) {
        return new GenericDomainEventEntry<>("Conversation", "c-1", 5, "event-5", AT, type.getName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static Object read(DomainEventData<byte[]> row) {
        List<IntermediateEventRepresentation> upcast =
                CHAIN.upcast(java.util.stream.Stream.of(new InitialEventRepresentation(row, SERIALIZER))).toList();
        assertThat(upcast).hasSize(1);
        assertThat(upcast.get(0).getType().getRevision()).isEqualTo("2");
        return SERIALIZER.deserialize(upcast.get(0).getData());
    }

    @Test
    void revisionOneChangesReadAsRevisionTwoWithoutAClientMessageId() {
        assertThat(read(stored(MessageEdited.class, "{\"conversationId\":\"c-1\",\"seq\":5,\"messageSeq\":3,"
                + "\"editorId\":\"a\",\"text\":\"fixed\",\"editedAt\":\"2026-11-25T10:00:00Z\"}", "1")))
                .isEqualTo(new MessageEdited("c-1", 5, 3, "a", "fixed", AT, null));
        assertThat(read(stored(MessageDeleted.class, "{\"conversationId\":\"c-1\",\"seq\":5,\"messageSeq\":3,"
                + "\"deletedBy\":\"a\",\"deletedAt\":\"2026-11-25T10:00:00Z\"}", null)))
                .isEqualTo(new MessageDeleted("c-1", 5, 3, "a", AT, null));
        assertThat(read(stored(ReactionChanged.class, "{\"conversationId\":\"c-1\",\"seq\":5,\"messageSeq\":3,"
                + "\"memberId\":\"b\",\"emoji\":null,\"changedAt\":\"2026-11-25T10:00:00Z\"}", "1")))
                .isEqualTo(new ReactionChanged("c-1", 5, 3, "b", null, AT, null));
    }

    @Test
    void revisionOneWatermarksReadAsRevisionTwoWithNothingWithheld() {
        assertThat(read(stored(ConversationEvents.MessagesRead.class, "{\"conversationId\":\"c-1\","
                + "\"memberId\":\"b\",\"upToSeq\":4,\"at\":\"2026-11-25T10:00:00Z\"}", "1")))
                .isEqualTo(new ConversationEvents.MessagesRead("c-1", "b", 4, AT, List.of()));
        assertThat(read(stored(ConversationEvents.MessagesDelivered.class, "{\"conversationId\":\"c-1\","
                + "\"memberId\":\"b\",\"upToSeq\":4,\"at\":\"2026-11-25T10:00:00Z\"}", null)))
                .isEqualTo(new ConversationEvents.MessagesDelivered("c-1", "b", 4, AT, List.of()));
        ConversationEvents.MessagesRead today = new ConversationEvents.MessagesRead("c-1", "b", 4, AT, List.of(2L, 3L));
        assertThat(read(stored(ConversationEvents.MessagesRead.class,
                new String(SERIALIZER.serialize(today, byte[].class).getData(), StandardCharsets.UTF_8), "2")))
                .isEqualTo(today);
    }

    @Test
    void todaysRevisionKeepsItsClientMessageIdThroughTheSerializer() {
        ReactionChanged event = new ReactionChanged("c-1", 5, 3, "b", "👍", AT, "cm-9");
        SerializedObject<byte[]> bytes = SERIALIZER.serialize(event, byte[].class);
        assertThat(bytes.getType().getRevision()).isEqualTo("2");
        Object back = read(stored(ReactionChanged.class, new String(bytes.getData(), StandardCharsets.UTF_8), "2"));
        assertThat(back).isEqualTo(event);
    }
}
