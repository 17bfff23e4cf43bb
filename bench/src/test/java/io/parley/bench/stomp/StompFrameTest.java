package io.parley.bench.stomp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StompFrameTest {

    @Test
    void encodesWithContentLengthInUtf8BytesAndDecodesHeadersAndBody() {
        String f = StompFrame.encode("SEND", "{\"t\":\"é\"}", "destination", "/app/messages.send");
        assertThat(f).startsWith("SEND\ndestination:/app/messages.send\ncontent-length:10\n\n{\"t\":\"é\"}").endsWith("\0");

        String in = "MESSAGE\nsubscription:a\ndestination:/user/queue/acks\nx:a\\cb\n\n{\"seq\":1}";
        StompFrame d = StompFrame.decode(in, 0, in.length());
        assertThat(d.command()).isEqualTo("MESSAGE");
        assertThat(d.header("subscription")).isEqualTo("a");
        assertThat(d.header("x")).isEqualTo("a:b");
        assertThat(d.body()).isEqualTo("{\"seq\":1}");
    }
}
