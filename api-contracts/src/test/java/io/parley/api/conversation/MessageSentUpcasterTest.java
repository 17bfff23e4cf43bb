package io.parley.api.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
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
 * Stored revision-1 and revision-2 {@link MessageSent} rows, byte for byte as Axon's JacksonSerializer wrote them
 * before mentions (revision 2), forwarding (revision 3) and withheld messages (revision 4) existed, read through the upcaster chain (in the
 * order the application registers it) and the serializer the way the event store reads them.
 */
class MessageSentUpcasterTest {
    private static final String TYPE = MessageSent.class.getName();
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final JacksonSerializer SERIALIZER = JacksonSerializer.builder().objectMapper(MAPPER).build();
    private static final EventUpcasterChain CHAIN = new EventUpcasterChain(new MessageSentUpcaster(),
            new MessageSentWithheldUpcaster());

    private static final String REVISION_1_TEXT = "{\"conversationId\":\"c-1\",\"seq\":3,\"messageId\":\"m-3\","
            + "\"clientMessageId\":\"cm-3\",\"senderId\":\"a\",\"type\":\"TEXT\",\"text\":\"hello\",\"media\":null,"
            + "\"replyTo\":2,\"sentAt\":\"2026-11-25T10:00:00Z\"}";
    private static final String REVISION_1_IMAGE = "{\"conversationId\":\"c-1\",\"seq\":4,\"messageId\":\"m-4\","
            + "\"clientMessageId\":\"cm-4\",\"senderId\":\"b\",\"type\":\"IMAGE\",\"text\":null,\"media\":{"
            + "\"mediaId\":\"md\",\"kind\":\"IMAGE\",\"contentType\":\"image/png\",\"size\":10,\"width\":2,"
            + "\"height\":3,\"fileName\":\"a.png\",\"hasThumbnail\":true},\"replyTo\":null,"
            + "\"sentAt\":\"2026-11-25T10:00:01Z\"}";

    private static DomainEventData<byte[]> stored(String json, String revision, long sequence) {
        return new GenericDomainEventEntry<>("Conversation", "c-1", sequence, "event-" + sequence,
                Instant.parse("2026-11-25T10:00:00Z"), TYPE, revision, json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static List<IntermediateEventRepresentation> upcast(DomainEventData<byte[]> row) {
        return CHAIN.upcast(java.util.stream.Stream.of(new InitialEventRepresentation(row, SERIALIZER))).toList();
    }

    private static MessageSent read(IntermediateEventRepresentation representation) {
        return SERIALIZER.deserialize(representation.getData());
    }

    @Test
    void aRevisionOneMessageReadsAsRevisionFourWithNoMentionsNoSourceWithheldFromNoOneAndEveryOtherFieldIntact() {
        List<IntermediateEventRepresentation> upcast = upcast(stored(REVISION_1_TEXT, "1", 2));

        assertThat(upcast).hasSize(1);
        assertThat(upcast.get(0).getType().getRevision()).isEqualTo("4");
        assertThat(read(upcast.get(0))).isEqualTo(new MessageSent("c-1", 3, "m-3", "cm-3", "a", MessageType.TEXT,
                "hello", null, 2L, Instant.parse("2026-11-25T10:00:00Z"), List.of()));
    }

    @Test
    void aRowStoredWithoutRevisionIsRevisionOneAndKeepsItsMedia() {
        IntermediateEventRepresentation representation = upcast(stored(REVISION_1_IMAGE, null, 3)).get(0);
        assertThat(representation.getType().getRevision()).isEqualTo("4");
        assertThat(representation.getData(com.fasterxml.jackson.databind.JsonNode.class).getData().get("mentions")
                .isArray()).isTrue();
        MessageSent event = read(representation);

        assertThat(event.mentions()).isEmpty();
        assertThat(event.media()).isEqualTo(new MediaRef("md", MediaKind.IMAGE, "image/png", 10, 2, 3, "a.png", true));
        assertThat(event.type()).isEqualTo(MessageType.IMAGE);
        assertThat(event.text()).isNull();
        assertThat(event.replyTo()).isNull();
        assertThat(event.sentAt()).isEqualTo(Instant.parse("2026-11-25T10:00:01Z"));
    }

    @Test
    void aRevisionTwoMessageKeepsItsMentionsAndReadsAsRevisionFourWithNoSourceWithheldFromNoOne() {
        String revision2 = "{\"conversationId\":\"c-1\",\"seq\":5,\"messageId\":\"m-5\",\"clientMessageId\":\"cm-5\","
                + "\"senderId\":\"a\",\"type\":\"TEXT\",\"text\":\"hi @b\",\"media\":null,\"replyTo\":null,"
                + "\"sentAt\":\"2026-11-25T10:00:02Z\",\"mentions\":[\"b\"]}";
        IntermediateEventRepresentation representation = upcast(stored(revision2, "2", 4)).get(0);

        assertThat(representation.getType().getRevision()).isEqualTo("4");
        assertThat(representation.getData(com.fasterxml.jackson.databind.JsonNode.class).getData()
                .has("forwardedFrom")).isTrue();
        MessageSent event = read(representation);
        assertThat(event).isEqualTo(new MessageSent("c-1", 5, "m-5", "cm-5", "a", MessageType.TEXT,
                "hi @b", null, null, Instant.parse("2026-11-25T10:00:02Z"), List.of("b")));
        assertThat(event.withheldFrom()).isEmpty();
    }

    @Test
    void aRevisionThreeCopyKeepsItsSourceAndIsWithheldFromNoOne() {
        String revision3 = "{\"conversationId\":\"c-1\",\"seq\":5,\"messageId\":\"m-5\",\"clientMessageId\":\"cm-5\","
                + "\"senderId\":\"a\",\"type\":\"TEXT\",\"text\":\"hi\",\"media\":null,\"replyTo\":null,"
                + "\"sentAt\":\"2026-11-25T10:00:02Z\",\"mentions\":[],\"forwardedFrom\":{\"conversationId\":\"c-0\",\"seq\":9}}";
        IntermediateEventRepresentation representation = upcast(stored(revision3, "3", 4)).get(0);

        assertThat(representation.getType().getRevision()).isEqualTo("4");
        assertThat(read(representation)).isEqualTo(new MessageSent("c-1", 5, "m-5", "cm-5", "a", MessageType.TEXT,
                "hi", null, null, Instant.parse("2026-11-25T10:00:02Z"), List.of(), new ForwardedFrom("c-0", 9)));
    }

    @Test
    void aRevisionFourMessageKeepsItsSourceAndWhomItIsWithheldFromAndIsNotTouched() {
        MessageSent sent = new MessageSent("c-1", 6, "m-6", "cm-6", "a", MessageType.TEXT, "hi", null, null,
                Instant.parse("2026-11-25T10:00:03Z"), List.of(), new ForwardedFrom("c-0", 9), List.of("b"));
        SerializedObject<byte[]> serialized = SERIALIZER.serialize(sent, byte[].class);
        assertThat(serialized.getType().getRevision()).isEqualTo("4");

        List<IntermediateEventRepresentation> upcast = upcast(stored(
                new String(serialized.getData(), StandardCharsets.UTF_8), serialized.getType().getRevision(), 5));

        assertThat(read(upcast.get(0))).isEqualTo(sent);
        assertThat(sent.withheldFrom("b")).isTrue();
    }

    @Test
    void otherEventsPassUnchanged() {
        DomainEventData<byte[]> row = new GenericDomainEventEntry<>("Conversation", "c-1", 0, "event-0",
                Instant.parse("2026-11-25T10:00:00Z"), ConversationEvents.MemberLeft.class.getName(), "1",
                "{\"conversationId\":\"c-1\",\"seq\":1,\"memberId\":\"b\",\"leftAt\":\"2026-11-25T10:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));

        IntermediateEventRepresentation representation = upcast(row).get(0);

        assertThat(representation.getType().getRevision()).isEqualTo("1");
        assertThat((Object) SERIALIZER.deserialize(representation.getData()))
                .isEqualTo(new ConversationEvents.MemberLeft("c-1", 1, "b", Instant.parse("2026-11-25T10:00:00Z")));
    }
}
