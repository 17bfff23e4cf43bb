package io.parley.gateway.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: the targeted STOMP answers that used to be an internal error or nothing at all, each pinned: a bad
 * SEND gets a specific error and the session stays, duplicate subscriptions are refused, the eleventh session of
 * an account is refused, protocol errors and a CONNECT that never completes get an ERROR frame naming the cause.
 * The seeded fuzz at volume is {@link HostileInputIT}.
 */
class StompProtocolErrorsIT extends IntegrationTest {
    private static final Duration QUIET = Duration.ofMillis(700);

    private String direct(User a, User b) {
        var opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", b.id()), a.accessToken());
        assertThat(opened.status()).as(opened.body()).isIn(200, 201);
        return opened.json().get("id").asText();
    }

    private static Map<String, Object> text(String cid, String clientMessageId, String text) {
        return Map.of("conversationId", cid, "clientMessageId", clientMessageId, "text", text);
    }

    private static String type(JsonNode error) {
        String type = error.get("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    @Test
    void badSendsGetSpecificErrorsAndTheSessionStays() {
        User a = api.signUp("hsa");
        User b = api.signUp("hsb");
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken())) {
            String cid = direct(a, b);
            ca.next("messages");
            ca.sendRaw("/app/messages.send", "");
            assertThat(type(ca.next("errors"))).as("empty body").isEqualTo("malformed-frame");

            String missing = UUID.randomUUID().toString();
            ca.send("/app/messages.send", text(missing, "nf-1", "to nowhere"));
            JsonNode ack = ca.next("acks");
            assertThat(ack.get("conversationId").asText()).isEqualTo(missing);
            assertThat(type(ack.get("error"))).as("as REST's 404").isIn("not-found", "not-a-member");

            ca.send("/app/no.such.thing", Map.of());
            JsonNode unknown = ca.next("errors");
            assertThat(type(unknown)).isEqualTo("unknown-destination");
            assertThat(unknown.get("destination").asText()).isEqualTo("/app/no.such.thing");

            ca.session().acknowledge("some-message", true);
            assertThat(type(ca.next("errors"))).as("ACK").isEqualTo("unsupported-frame");
            ca.session().acknowledge("some-message", false);
            assertThat(type(ca.next("errors"))).as("NACK").isEqualTo("unsupported-frame");

            ca.send("/app/messages.send", text(cid, "ok-1", "still here"));
            assertThat(ca.next("acks").get("seq").asLong()).isEqualTo(1);
            assertThat(ca.isConnected()).isTrue();
        }
    }

    /** Issue 15: after 400 duplicate SUBSCRIBEs one message arrived 401 times. */
    @Test
    void duplicateSubscriptionsAreRefusedAndAMessageArrivesOnce() {
        User a = api.signUp("dupa");
        User b = api.signUp("dupb");
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken());
             StompTestClient cb = StompTestClient.connect(port, b.accessToken())) {
            String cid = direct(a, b);
            ca.next("messages");
            cb.next("messages");
            for (int i = 0; i < 400; i++) {
                ca.subscribe("/user/queue/messages", "dup");
            }
            List<JsonNode> refused = ca.take("errors", 400, Duration.ofSeconds(20));
            assertThat(refused).hasSize(400).allSatisfy(e -> assertThat(type(e)).isEqualTo("already-subscribed"));
            cb.send("/app/messages.send", text(cid, "once-1", "once"));
            assertThat(ca.nextMessage().get("text").asText()).isEqualTo("once");
            assertThat(ca.next("messages", QUIET)).as("delivered once").isNull();
            assertThat(ca.next("dup", QUIET)).isNull();
            assertThat(ca.isConnected()).isTrue();
        }
    }

    @Test
    void theEleventhSessionOfAnAccountIsRefused() throws Exception {
        User a = api.signUp("capa");
        List<StompTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(StompTestClient.connect(port, a.accessToken()));
            }
            StompHeaders headers = new StompHeaders();
            headers.add("Authorization", "Bearer " + a.accessToken());
            StompHeaders refused = StompTestClient.connectRefused(port, headers);
            assertThat(refused).isNotNull();
            assertThat(refused.getFirst("message")).startsWith("too many sessions");
            open.remove(0).close();
            Thread.sleep(300);
            open.add(StompTestClient.connect(port, a.accessToken()));
            assertThat(open).allSatisfy(c -> assertThat(c.isConnected()).isTrue());
        } finally {
            open.forEach(StompTestClient::close);
        }
    }

    @Test
    void protocolErrorsGetAnErrorFrameThatSaysWhatWasWrong() throws Exception {
        User a = api.signUp("proto");
        String connect = "CONNECT\naccept-version:1.2\nhost:x\nAuthorization:Bearer " + a.accessToken() + "\n\n\0";
        assertThat(errorMessage("FOO\n\n\0")).contains("unknown command FOO");
        assertThat(errorMessage("CONNECT\naccept-version:9.9\nAuthorization:Bearer " + a.accessToken() + "\n\n\0"))
                .startsWith("unsupported STOMP version 9.9");
        assertThat(errorMessage(connect + "SEND\ndestination:/app/typing\nbad:a\\qb\n\n{}\0"))
                .startsWith("malformed frame").containsIgnoringCase("escape");
        assertThat(errorMessage(connect + connect)).contains("already connected");
        assertThat(errorMessage("SEND\ndestination:/app/messages.send\n\n{}\0")).startsWith("not connected");
    }

    @Test
    void aSocketThatNeverCompletesItsConnectIsToldAndClosed() throws Exception {
        // half a frame: the decoder waits for the 100,000 bytes its content-length declares (test profile: 3 s)
        assertThat(errorMessage("SEND\ndestination:/app/messages.send\ncontent-length:100000\n\n{}",
                Duration.ofSeconds(15))).startsWith("no CONNECT within");
        try (RawStompSocket silent = RawStompSocket.open(port)) {
            assertThat(silent.error(Duration.ofSeconds(15))).as("a socket that sends nothing")
                    .contains("message:no CONNECT within");
        }
    }

    /** The {@code message} header of the ERROR frame the server answers {@code frames} with (within 5 s). */
    private String errorMessage(String frames) throws Exception {
        return errorMessage(frames, Duration.ofSeconds(5));
    }

    private String errorMessage(String frames, Duration timeout) throws Exception {
        try (RawStompSocket raw = RawStompSocket.open(port)) {
            raw.send(frames);
            String error = raw.error(timeout);
            assertThat(error).as("an ERROR frame for %s", frames.replace("\0", "^@")).isNotNull();
            for (String line : error.split("\n")) {
                if (line.startsWith("message:")) {
                    return line.substring("message:".length());
                }
            }
            throw new AssertionError("ERROR without message: " + error);
        }
    }

    // ---------------------------------------------------------------- the fuzz
}
