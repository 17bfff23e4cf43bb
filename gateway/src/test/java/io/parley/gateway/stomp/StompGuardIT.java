package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.support.AbstractMessageChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.messaging.access.intercept.AuthorizationChannelInterceptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The STOMP guard over real clients: CONNECT needs a token, SUBSCRIBE only one's own queues, SEND only /app. */
class StompGuardIT extends IntegrationTest {
    private static final Duration QUIET = Duration.ofMillis(700);

    @Autowired
    @Qualifier("clientInboundChannel")
    AbstractMessageChannel clientInbound;

    private String direct(User a, User b) {
        var opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", b.id()), a.accessToken());
        assertThat(opened.status()).as(opened.body()).isIn(200, 201);
        return opened.json().get("id").asText();
    }

    private static Map<String, Object> text(String cid, String clientMessageId, String text) {
        return Map.of("conversationId", cid, "clientMessageId", clientMessageId, "text", text);
    }

    private static void skipCreated(StompTestClient client, String cid) {
        JsonNode created = client.next("messages");
        assertThat(created.get("action").asText()).isEqualTo("CREATED");
        assertThat(created.get("conversationId").asText()).isEqualTo(cid);
    }

    @Test
    void connectWithoutOrWithABadTokenGetsAnErrorFrameAndPasscodeWorks() throws Exception {
        User a = api.signUp("autha");
        StompHeaders none = new StompHeaders();
        StompHeaders refusedNone = StompTestClient.connectRefused(port, none);
        assertThat(refusedNone).isNotNull();
        assertThat(refusedNone.getFirst("message")).startsWith("unauthorized");

        StompHeaders bad = new StompHeaders();
        bad.add("Authorization", "Bearer " + a.accessToken() + "x");
        StompHeaders refusedBad = StompTestClient.connectRefused(port, bad);
        assertThat(refusedBad).isNotNull();
        assertThat(refusedBad.getFirst("message")).startsWith("unauthorized");

        StompHeaders refresh = new StompHeaders();
        refresh.add("Authorization", "Bearer " + a.refreshToken());
        assertThat(StompTestClient.connectRefused(port, refresh)).as("a refresh token is no access token").isNotNull();

        StompHeaders passcode = new StompHeaders();
        passcode.setLogin(a.handle());
        passcode.setPasscode(a.accessToken());
        try (StompTestClient client = StompTestClient.connect(port, passcode)) {
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void subscribingToAnotherUsersQueueOrAnUndocumentedDestinationIsRefusedAndTheSessionStays() {
        User a = api.signUp("suba");
        User b = api.signUp("subb");
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken());
             StompTestClient cb = StompTestClient.connect(port, b.accessToken())) {
            String cid = direct(a, b);
            skipCreated(ca, cid);
            for (String destination : List.of("/user/" + b.id() + "/queue/messages", "/queue/messages",
                    "/queue/messages-user" + UUID.randomUUID(), "/app/messages.send", "/user/queue/everything")) {
                ca.subscribe(destination, "spy");
                JsonNode error = ca.next("errors");
                assertThat(error.get("type").asText()).isEqualTo("subscription-refused");
                assertThat(error.get("destination").asText()).isEqualTo(destination);
            }
            cb.send("/app/messages.send", text(cid, "x-1", "for A only"));
            assertThat(ca.nextMessage().get("text").asText()).isEqualTo("for A only");
            assertThat(ca.next("spy", QUIET)).as("nothing reaches a refused subscription").isNull();
            ca.send("/app/messages.send", text(cid, "x-2", "A still talks"));
            assertThat(ca.next("acks").get("seq").asLong()).isEqualTo(2);
            assertThat(ca.isConnected()).isTrue();
        }
    }

    @Test
    void springSecurityAuthorizesInboundFramesOnceTheTokenCheckHasRun() {
        List<Class<?>> chain = new ArrayList<>();
        for (ChannelInterceptor interceptor : clientInbound.getInterceptors()) {
            chain.add(interceptor.getClass());
        }
        assertThat(chain).contains(StompInboundInterceptor.class, AuthorizationChannelInterceptor.class);
        assertThat(chain.indexOf(StompInboundInterceptor.class))
                .isLessThan(chain.indexOf(AuthorizationChannelInterceptor.class));
    }

    /** Issue 15: Spring would route a client SEND to /user/<id>/... or /queue/... into that queue, a forged frame. */
    @Test
    void sendingToAnotherUsersQueueOrABrokerQueueIsRefusedAndReachesNobody() {
        User a = api.signUp("senda");
        User b = api.signUp("sendb");
        try (StompTestClient ca = StompTestClient.connect(port, a.accessToken());
             StompTestClient cb = StompTestClient.connect(port, b.accessToken())) {
            String cid = direct(a, b);
            skipCreated(ca, cid);
            skipCreated(cb, cid);
            Map<String, Object> forged = Map.of("kind", "MESSAGE", "conversationId", cid, "seq", 1,
                    "senderId", b.id(), "text", "forged");
            for (String destination : List.of("/user/" + b.id() + "/queue/messages", "/user/queue/messages",
                    "/queue/messages")) {
                ca.send(destination, forged);
                JsonNode error = ca.next("errors");
                assertThat(error.get("type").asText()).isEqualTo("send-refused");
                assertThat(error.get("destination").asText()).isEqualTo(destination);
            }
            assertThat(cb.next("messages", QUIET)).as("a forged frame reaches nobody").isNull();
            assertThat(ca.next("messages", QUIET)).isNull();
            ca.send("/app/messages.send", text(cid, "after-forged", "A still talks"));
            assertThat(ca.next("acks").get("seq").asLong()).isEqualTo(1);
            assertThat(cb.nextMessage().get("text").asText()).isEqualTo("A still talks");
            assertThat(ca.isConnected()).isTrue();
        }
    }
}
