package io.parley.api.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationQueries.MessagePage;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON of each timeline kind, as clients (the web client, the integration tests, mobile apps) read it:
 * {@code kind} first, nulls left out. The expected texts are what the single 21-field entry record wrote.
 */
class TimelineJsonTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static String json(Object value) throws Exception {
        return MAPPER.writeValueAsString(value);
    }

    @Test
    void eachKindWritesTheFieldsItHadAndNothingElse() throws Exception {
        assertThat(json(Timeline.of(new MessageSent("c", 1, "m1", "cm1", "a", MessageType.TEXT, "hi", null, 7L, T))))
                .isEqualTo("{\"kind\":\"MESSAGE\",\"conversationId\":\"c\",\"seq\":1,\"messageId\":\"m1\","
                        + "\"clientMessageId\":\"cm1\",\"senderId\":\"a\",\"type\":\"TEXT\",\"text\":\"hi\","
                        + "\"replyTo\":7,\"sentAt\":\"2026-11-25T10:00:00Z\",\"deleted\":false,\"mentions\":[]}");
        MediaRef media = new MediaRef("md", MediaKind.IMAGE, "image/png", 10, 2, 3, "a.png", true);
        assertThat(json(Timeline.of(new MessageSent("c", 2, "m2", "cm2", "a", MessageType.IMAGE, null, media, null, T))
                .reacted("b", "x").edited("t", T)))
                .isEqualTo("{\"kind\":\"MESSAGE\",\"conversationId\":\"c\",\"seq\":2,\"messageId\":\"m2\","
                        + "\"clientMessageId\":\"cm2\",\"senderId\":\"a\",\"type\":\"IMAGE\",\"text\":\"t\","
                        + "\"media\":{\"mediaId\":\"md\",\"kind\":\"IMAGE\",\"contentType\":\"image/png\",\"size\":10,"
                        + "\"width\":2,\"height\":3,\"fileName\":\"a.png\",\"hasThumbnail\":true},"
                        + "\"sentAt\":\"2026-11-25T10:00:00Z\",\"editedAt\":\"2026-11-25T10:00:00Z\",\"deleted\":false,"
                        + "\"reactions\":{\"b\":\"x\"},\"mentions\":[]}");
        assertThat(json(Timeline.of(new MessageEdited("c", 3, 1, "a", "new", T))))
                .isEqualTo("{\"kind\":\"EDIT\",\"conversationId\":\"c\",\"seq\":3,\"senderId\":\"a\",\"text\":\"new\","
                        + "\"messageSeq\":1,\"at\":\"2026-11-25T10:00:00Z\"}");
        assertThat(json(Timeline.of(new MessageDeleted("c", 4, 1, "a", T))))
                .isEqualTo("{\"kind\":\"DELETE\",\"conversationId\":\"c\",\"seq\":4,\"messageSeq\":1,\"actorId\":\"a\","
                        + "\"at\":\"2026-11-25T10:00:00Z\"}");
        assertThat(json(Timeline.of(new ReactionChanged("c", 5, 1, "b", null, T))))
                .isEqualTo("{\"kind\":\"REACTION\",\"conversationId\":\"c\",\"seq\":5,\"messageSeq\":1,\"memberId\":\"b\","
                        + "\"at\":\"2026-11-25T10:00:00Z\"}");
        assertThat(json(Timeline.of(new GroupCreated("c", "Team", "a", List.of("a", "b"), T))))
                .isEqualTo("{\"kind\":\"MEMBERSHIP\",\"conversationId\":\"c\",\"seq\":0,\"action\":\"CREATED\","
                        + "\"actorId\":\"a\",\"title\":\"Team\",\"at\":\"2026-11-25T10:00:00Z\"}");
        assertThat(json(Timeline.of(new MemberLeft("c", 6, "b", T))))
                .isEqualTo("{\"kind\":\"MEMBERSHIP\",\"conversationId\":\"c\",\"seq\":6,\"memberId\":\"b\","
                        + "\"action\":\"LEFT\",\"actorId\":\"b\",\"at\":\"2026-11-25T10:00:00Z\"}");
    }

    @Test
    void aPageReadsBackIntoTheSameRecords() throws Exception {
        MessagePage page = new MessagePage(List.of(
                Timeline.of(new MessageSent("c", 1, "m1", "cm1", "a", MessageType.TEXT, "hi", null, null, T))
                        .reacted("b", "x"),
                Timeline.of(new MessageEdited("c", 2, 1, "a", "new", T)),
                Timeline.of(new MessageDeleted("c", 3, 1, "a", T)),
                Timeline.of(new ReactionChanged("c", 4, 1, "b", "y", T)),
                Timeline.of(new AdminGranted("c", 5, "b", null, T))), true);
        MessagePage read = MAPPER.readValue(json(page), MessagePage.class);
        assertThat(read).isEqualTo(page);
        assertThat(read.messages()).extracting(TimelineEntry::kind)
                .containsExactly("MESSAGE", "EDIT", "DELETE", "REACTION", "MEMBERSHIP");
        assertThat(((TimelineEntry.Message) read.messages().get(0)).reactions()).isEqualTo(Map.of("b", "x"));
    }
}
