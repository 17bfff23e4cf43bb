package io.parley.gateway.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.FakeFcmEnvironment;
import io.parley.gateway.support.IntegrationTest;
import io.parley.projections.push.FakeFcm;
import io.parley.projections.push.PushProcessor;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Devices over REST and pushes through the whole application: real accounts and devices (commands, events, the
 * push processor), conversations and messages over REST, the real Firebase Admin SDK, the stand-in FCM server.
 */
class PushIT extends IntegrationTest {

    @Autowired
    EventStore eventStore;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokenStore;

    private final FakeFcm fcm = FakeFcmEnvironment.server();

    @Test
    void devicesAreRegisteredListedAndRemoved() throws Exception {
        Api.User ann = api.signUp("dev");
        Api.Response created = api.post("/api/devices", Map.of("platform", "ANDROID", "token", "tok-" + UUID.randomUUID()),
                ann.accessToken());
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();

        awaitTrue(() -> api.get("/api/devices", ann.accessToken()).json().size() == 1);
        JsonNode listed = api.get("/api/devices", ann.accessToken()).json().get(0);
        assertThat(listed.get("id").asText()).isEqualTo(id);
        assertThat(listed.get("platform").asText()).isEqualTo("ANDROID");

        assertThat(api.delete("/api/devices/" + id, ann.accessToken()).status()).isEqualTo(204);
        awaitTrue(() -> api.get("/api/devices", ann.accessToken()).json().isEmpty());
        Api.Response again = api.delete("/api/devices/" + id, ann.accessToken());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.isProblem()).isTrue();
    }

    @Test
    void badDeviceRequestsAreProblems() {
        Api.User ann = api.signUp("dev");
        Api.Response noPlatform = api.post("/api/devices", Map.of("token", "x"), ann.accessToken());
        assertThat(noPlatform.status()).isEqualTo(400);
        assertThat(noPlatform.isProblem()).isTrue();
        Api.Response badPlatform = api.post("/api/devices", Map.of("platform", "PAGER", "token", "x"), ann.accessToken());
        assertThat(badPlatform.status()).isEqualTo(400);
        assertThat(badPlatform.isProblem()).isTrue();
        assertThat(api.post("/api/devices", Map.of("platform", "WEB", "token", "x"), null).status()).isEqualTo(401);
    }

    @Test
    void anOfflineRecipientsDevicesGetOnePushEachAndADeadTokenIsPruned() throws Exception {
        Api.User ann = api.signUp("push");
        Api.User bob = api.signUp("push");
        String annToken = register(ann, "ANDROID");
        String bobPhone = register(bob, "ANDROID");
        String bobTablet = register(bob, "IOS");
        fcm.script(bobTablet, 404);
        String chat = direct(ann, bob);
        awaitTrue(() -> api.get("/api/devices", bob.accessToken()).json().size() == 2);

        say(ann, chat, "Hello Bob");

        awaitTrue(() -> fcm.requests(bobPhone).size() == 1 && fcm.requests(bobTablet).size() == 1);
        JsonNode sent = fcm.requests(bobPhone).get(0).message();
        assertThat(sent.path("notification").path("title").asText()).isEqualTo(ann.displayName());
        assertThat(sent.path("notification").path("body").asText()).isEqualTo("Hello Bob");
        assertThat(sent.path("data").path("conversationId").asText()).isEqualTo(chat);
        assertThat(sent.path("data").path("seq").asText()).isEqualTo("1");
        assertThat(fcm.requests(annToken)).isEmpty();
        // the 404 UNREGISTERED answer removed the tablet: a DeviceRemoved event, seen by the devices list
        awaitTrue(() -> api.get("/api/devices", bob.accessToken()).json().size() == 1);
        assertThat(api.get("/api/devices", bob.accessToken()).json().get(0).get("token").asText()).isEqualTo(bobPhone);
    }

    @Test
    void aServiceUnavailableAnswerIsRetried() throws Exception {
        Api.User ann = api.signUp("push");
        Api.User bob = api.signUp("push");
        String bobPhone = register(bob, "WEB");
        fcm.script(bobPhone, 503);
        String chat = direct(ann, bob);
        awaitTrue(() -> api.get("/api/devices", bob.accessToken()).json().size() == 1);

        say(ann, chat, "retry me");

        awaitTrue(() -> fcm.accepted(bobPhone).size() == 1);
        assertThat(fcm.requests(bobPhone)).extracting(FakeFcm.Request::status).containsExactly(503, 200);
    }

    @Test
    void aMutedConversationGetsNoPush() throws Exception {
        Api.User ann = api.signUp("push");
        Api.User bob = api.signUp("push");
        String bobPhone = register(bob, "ANDROID");
        String chat = direct(ann, bob);
        assertThat(api.put("/api/conversations/" + chat + "/mute", Map.of(), bob.accessToken()).status()).isEqualTo(204);

        say(ann, chat, "you muted me");
        Thread.sleep(1_500);
        assertThat(fcm.requests(bobPhone)).isEmpty();

        assertThat(api.delete("/api/conversations/" + chat + "/mute", bob.accessToken()).status()).isEqualTo(204);
        say(ann, chat, "and unmuted me");
        awaitTrue(() -> fcm.requests(bobPhone).size() == 1);
        assertThat(fcm.requests(bobPhone).get(0).message().path("notification").path("body").asText())
                .isEqualTo("and unmuted me");
    }

    /** README, Push: a mention overrides mute, through the whole application (aggregate, events, processor). */
    @Test
    void aMentionReachesAMutedMemberAndOnlyTheMentionedOne() throws Exception {
        Api.User ann = api.signUp("push");
        Api.User bob = api.signUp("push");
        Api.User cid = api.signUp("push");
        String bobPhone = register(bob, "ANDROID");
        String cidPhone = register(cid, "IOS");
        Api.Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Trip",
                "memberIds", java.util.List.of(bob.id(), cid.id())), ann.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String group = created.json().get("id").asText();
        assertThat(api.put("/api/conversations/" + group + "/mute", Map.of(), bob.accessToken()).status()).isEqualTo(204);
        assertThat(api.put("/api/conversations/" + group + "/mute", Map.of(), cid.accessToken()).status()).isEqualTo(204);
        awaitTrue(() -> api.get("/api/devices", cid.accessToken()).json().size() == 1);

        Api.Response sent = api.post("/api/conversations/" + group + "/messages", Map.of("clientMessageId", "m-1",
                "text", "@bob the tickets", "mentions", java.util.List.of(bob.id())), ann.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);

        awaitTrue(() -> fcm.requests(bobPhone).size() == 1);
        assertThat(fcm.requests(bobPhone).get(0).message().path("notification").path("body").asText())
                .isEqualTo("@bob the tickets");
        Thread.sleep(1_500);
        assertThat(fcm.requests(cidPhone)).as("muted and not mentioned").isEmpty();
    }

    @Test
    void aRestartedProcessorDoesNotPushTheSameMessageAgain() throws Exception {
        Api.User ann = api.signUp("push");
        Api.User bob = api.signUp("push");
        String bobPhone = register(bob, "ANDROID");
        String chat = direct(ann, bob);
        awaitTrue(() -> api.get("/api/devices", bob.accessToken()).json().size() == 1);
        TrackingToken beforeMessage = eventStore.createHeadToken();

        say(ann, chat, "only once");
        awaitTrue(() -> fcm.accepted(bobPhone).size() == 1);

        // as if the node died before the processor stored its token: it starts again from before the message
        TrackingEventProcessor processor = processing.eventProcessor(PushProcessor.PROCESSING_GROUP,
                TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        tokenStore.storeToken(beforeMessage, PushProcessor.PROCESSING_GROUP, 0);
        processor.start();
        Thread.sleep(3_500);

        assertThat(fcm.requests(bobPhone)).hasSize(1);
    }

    private String register(Api.User user, String platform) {
        String token = "tok-" + UUID.randomUUID();
        Api.Response created = api.post("/api/devices", Map.of("platform", platform, "token", token), user.accessToken());
        assertThat(created.status()).isEqualTo(201);
        return token;
    }

    private String direct(Api.User from, Api.User peer) {
        Api.Response created = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", peer.id()),
                from.accessToken());
        assertThat(created.status()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    private void say(Api.User sender, String conversationId, String text) {
        Api.Response sent = api.post("/api/conversations/" + conversationId + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", text), sender.accessToken());
        assertThat(sent.status()).as(sent.body()).isBetween(200, 201);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
