package io.parley.projections.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.account.DevicePlatform;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Who is pushed what: devices, senders, online users, mutes, previews and the coalescing window. */
class PushPipelineTest extends PushPipelineHarness {

    @Test
    void anOfflineRecipientGetsOneRequestPerDeviceAndTheSenderNone() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String annPhone = device(ann, DevicePlatform.ANDROID);
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String bobTablet = device(bob, DevicePlatform.IOS);
        String chat = direct(ann, bob);

        processor.on(message(chat, 1, ann, "Are we still on for lunch tomorrow?"));

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1 && fcmServer.requests(bobTablet).size() == 1);
        Thread.sleep(300);
        assertThat(fcmServer.requests(bobPhone)).hasSize(1);
        assertThat(fcmServer.requests(bobTablet)).hasSize(1);
        assertThat(fcmServer.requests(annPhone)).isEmpty();

        JsonNode sent = fcmServer.requests(bobPhone).get(0).message();
        assertThat(sent.path("token").asText()).isEqualTo(bobPhone);
        assertThat(sent.path("notification").path("title").asText()).isEqualTo("Ann");
        assertThat(sent.path("notification").path("body").asText()).isEqualTo("Are we still on for lunch tomorrow?");
        assertThat(sent.path("data").path("conversationId").asText()).isEqualTo(chat);
        assertThat(sent.path("data").path("seq").asText()).isEqualTo("1");
        assertThat(sent.path("android").path("collapse_key").asText()).isEqualTo(chat);
        assertThat(sent.path("android").path("notification").path("tag").asText()).isEqualTo(chat);
        assertThat(sent.path("apns").path("headers").path("apns-collapse-id").asText()).isEqualTo(chat);
        assertThat(sent.path("apns").path("payload").path("aps").path("thread-id").asText()).isEqualTo(chat);
        assertThat(sent.path("webpush").path("headers").path("Topic").asText()).isEqualTo(chat.replace("-", ""));
        assertThat(fcmServer.requests(bobTablet).get(0).message().path("notification").path("title").asText())
                .isEqualTo("Ann");
    }

    @Test
    void previewsAreCutAndMediaIsNamed() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.WEB);
        String group = group("Hiking", ann, bob);

        processor.on(message(group, 1, ann, "x".repeat(100)));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1);
        JsonNode notification = fcmServer.requests(bobPhone).get(0).message().path("notification");
        assertThat(notification.path("title").asText()).isEqualTo("Ann @ Hiking");
        assertThat(notification.path("body").asText()).isEqualTo("x".repeat(39) + "…");

        String other = group("Photos", ann, bob);
        processor.on(new MessageSent(other, 1, UUID.randomUUID().toString(), "c1", ann, MessageType.IMAGE, null,
                new MediaRef("m1", MediaKind.IMAGE, "image/png", 10, 1, 1, "a.png", true), null, Instant.now()));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2);
        assertThat(fcmServer.requests(bobPhone).get(1).message().path("notification").path("body").asText())
                .isEqualTo("Photo");
    }

    @Test
    void anOnlineRecipientGetsNone() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        online.add(bob);

        processor.on(message(chat, 1, ann, "hi"));

        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).isEmpty();
    }

    @Test
    void aMessageWithheldFromTheBlockerPushesNothingToThem() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);

        processor.on(new MessageSent(chat, 1, UUID.randomUUID().toString(), "c1", ann, MessageType.TEXT, "psst",
                null, null, Instant.now(), List.of(), List.of(bob)));
        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).isEmpty();

        processor.on(message(chat, 2, ann, "after the unblock"));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1);
        assertThat(fcmServer.requests(bobPhone).get(0).message().path("data").path("seq").asText()).isEqualTo("2");
    }

    @Test
    void aMutedConversationGetsNoneUntilUnmuted() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        processor.on(new ConversationMuted(chat, bob, null, Instant.now()));

        processor.on(message(chat, 1, ann, "psst"));
        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).isEmpty();

        processor.on(new ConversationMuted(chat, bob, Instant.now().minusSeconds(1), Instant.now().minusSeconds(60)));
        processor.on(message(chat, 2, ann, "mute expired"));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1);

        processor.on(new ConversationMuted(chat, bob, Instant.now().plusSeconds(3600), Instant.now()));
        processor.on(new ConversationUnmuted(chat, bob, Instant.now()));
        assertThat(directory.conversation(chat).orElseThrow().mutedBy(bob, Instant.now())).isFalse();
    }

    @Test
    void aMentionReachesAMemberWhoMutedTheGroupAndOnlyTheMentionedOne() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String cid = user("Cid");
        String dee = user("Dee");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String cidPhone = device(cid, DevicePlatform.IOS);
        String deePhone = device(dee, DevicePlatform.ANDROID);
        String group = group("Hiking", ann, bob, cid, dee);
        processor.on(new ConversationMuted(group, bob, null, Instant.now()));
        processor.on(new ConversationMuted(group, cid, Instant.now().plusSeconds(3600), Instant.now()));
        online.add(dee);

        processor.on(new MessageSent(group, 1, UUID.randomUUID().toString(), "c1", ann, MessageType.TEXT,
                "Bob, Dee: bring the map", null, null, Instant.now(), List.of(bob, dee)));

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1);
        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).as("muted but mentioned").hasSize(1);
        assertThat(fcmServer.requests(bobPhone).get(0).message().path("notification").path("body").asText())
                .isEqualTo("Bob, Dee: bring the map");
        assertThat(fcmServer.requests(cidPhone)).as("muted and not mentioned").isEmpty();
        assertThat(fcmServer.requests(deePhone)).as("mentioned but online: the live frame is enough").isEmpty();

        processor.on(message(group, 2, ann, "no one in particular"));
        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).as("the mute still holds without a mention").hasSize(1);
        assertThat(fcmServer.requests(cidPhone)).isEmpty();
    }

    @Test
    void twentyMessagesInTwoSecondsMakeOneNotificationPerDeviceInTheWindowThenOneSummary() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String cid = user("Cid");
        String dee = user("Dee");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String cidPhone = device(cid, DevicePlatform.IOS);
        String deePhone = device(dee, DevicePlatform.ANDROID);
        String group = group("Busy", ann, bob, cid, dee);
        online.add(dee);

        Instant first = Instant.now();
        for (int seq = 1; seq <= 20; seq++) {
            processor.on(message(group, seq, ann, "message " + seq));
            Thread.sleep(100);
        }
        assertThat(Duration.between(first, Instant.now())).as("the burst fits in one window").isLessThan(WINDOW);
        Instant windowEnd = first.plus(WINDOW);
        for (String token : List.of(bobPhone, cidPhone)) {
            List<FakeFcm.Request> inWindow = fcmServer.requests(token).stream()
                    .filter(r -> r.at().isBefore(windowEnd.minusMillis(200))).toList();
            assertThat(inWindow).hasSize(1);
            assertThat(inWindow.get(0).message().path("notification").path("body").asText()).isEqualTo("message 1");
        }

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2 && fcmServer.requests(cidPhone).size() == 2);
        for (String token : List.of(bobPhone, cidPhone)) {
            JsonNode summary = fcmServer.requests(token).get(1).message();
            assertThat(summary.path("notification").path("body").asText()).isEqualTo("20 new messages");
            assertThat(summary.path("notification").path("title").asText()).isEqualTo("Ann @ Busy");
            assertThat(summary.path("data").path("count").asText()).isEqualTo("20");
            assertThat(summary.path("data").path("seq").asText()).isEqualTo("20");
            assertThat(summary.path("android").path("collapse_key").asText()).isEqualTo(group);
        }
        assertThat(fcmServer.requests(deePhone)).isEmpty();
        Thread.sleep(WINDOW.toMillis());
        assertThat(fcmServer.requests(bobPhone)).hasSize(2);
    }

}
