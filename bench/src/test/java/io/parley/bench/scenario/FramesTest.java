package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.bench.scenario.Frames.Ack;
import io.parley.bench.scenario.Frames.Entry;
import io.parley.bench.scenario.Frames.Receipt;
import io.parley.bench.scenario.Frames.SendMessage;
import io.parley.bench.scenario.Frames.Watermark;
import io.parley.bench.stomp.StompClient;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform's frame bodies (as the README documents them) through the client's converter, both ways. */
class FramesTest {

    private final MessageConverter converter = StompClient.frameConverter();

    private <T> T read(String json, Class<T> type) {
        Message<byte[]> m = MessageBuilder.withPayload(json.getBytes(StandardCharsets.UTF_8))
                .setHeader("contentType", MimeTypeUtils.APPLICATION_JSON).build();
        return type.cast(converter.fromMessage(m, type));
    }

    @Test
    void readsAcksWithTheirSeqOrTheirErrorIgnoringOtherFields() {
        Ack ok = read("{\"clientMessageId\":\"c1\",\"conversationId\":\"k\",\"seq\":42,\"messageId\":\"m\","
                + "\"sentAt\":\"2026-01-01T00:00:00Z\"}", Ack.class);
        assertThat(ok.clientMessageId()).isEqualTo("c1");
        assertThat(ok.seq()).isEqualTo(42L);
        assertThat(ok.failed()).isFalse();

        Ack refused = read("{\"clientMessageId\":\"c2\",\"conversationId\":\"k\",\"error\":{\"type\":\"not-a-member\","
                + "\"detail\":\"x\"}}", Ack.class);
        assertThat(refused.failed()).isTrue();
        assertThat(refused.seq()).isNull();
        assertThat(refused.toString()).contains("not-a-member");
    }

    @Test
    void readsMessageEntriesAndWatermarks() {
        Entry e = read("{\"kind\":\"MESSAGE\",\"conversationId\":\"k\",\"seq\":3,\"messageId\":\"m\",\"clientMessageId\":\"c1\","
                + "\"senderId\":\"u1\",\"type\":\"TEXT\",\"text\":\"bench c1 \\\"quoted\\\"\",\"replyTo\":null,\"media\":null,"
                + "\"sentAt\":\"2026-01-01T00:00:00Z\"}", Entry.class);
        assertThat(e).isEqualTo(new Entry("MESSAGE", "k", "c1", "u1", "bench c1 \"quoted\""));

        Watermark w = read("{\"conversationId\":\"k\",\"userId\":\"u2\",\"kind\":\"READ\",\"upToSeq\":7,"
                + "\"at\":\"2026-01-01T00:00:00Z\"}", Watermark.class);
        assertThat(w).isEqualTo(new Watermark("k", "u2", "READ", 7L));

        JsonNode error = read("{\"type\":\"bad-request\",\"detail\":\"no\"}", JsonNode.class);
        assertThat(error.path("type").asText()).isEqualTo("bad-request");
    }

    @Test
    void writesSendsAndReceiptsAsJson() {
        Message<?> send = converter.toMessage(new SendMessage("k", "c1", "hi \"there\""), null);
        assertThat(new String((byte[]) send.getPayload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"conversationId\":\"k\",\"clientMessageId\":\"c1\",\"text\":\"hi \\\"there\\\"\"}");
        Message<?> receipt = converter.toMessage(new Receipt("k", 9), null);
        assertThat(new String((byte[]) receipt.getPayload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"conversationId\":\"k\",\"upToSeq\":9}");
    }
}
