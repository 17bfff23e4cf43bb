package io.parley.projections.push;

import io.parley.api.account.AccountCommands.RemoveDevice;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.Role;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/** What FCM's answers do (dead tokens, retries) and what a restart or a lost read-model store must never cause: a second push. */
class PushAnswersAndRestartsTest extends PushPipelineHarness {

    @Test
    void anUnregisteredAnswerRemovesTheToken() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String dead = device(bob, DevicePlatform.ANDROID);
        String alive = device(bob, DevicePlatform.IOS);
        fcmServer.script(dead, 404);
        String chat = direct(ann, bob);

        processor.on(message(chat, 1, ann, "hello"));

        verify(commands, timeout(5_000)).send(new RemoveDevice(bob, deviceIdOf(dead), "UNREGISTERED"));
        assertThat(fcmServer.accepted(alive)).hasSize(1);
        Thread.sleep(WINDOW.toMillis() + 500);
        assertThat(fcmServer.requests(dead)).hasSize(1);
    }

    @Test
    void anInvalidTokenAnswerRemovesTheToken() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bad = device(bob, DevicePlatform.WEB);
        fcmServer.script(bad, 400);

        processor.on(message(direct(ann, bob), 1, ann, "hello"));

        verify(commands, timeout(5_000)).send(new RemoveDevice(bob, deviceIdOf(bad), "INVALID_ARGUMENT"));
    }

    @Test
    void aServiceUnavailableAnswerIsRetriedAndSucceedsWithoutHoldingUpOthers() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String cid = user("Cid");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String cidPhone = device(cid, DevicePlatform.ANDROID);
        fcmServer.script(bobPhone, 503, 503);

        long start = System.nanoTime();
        processor.on(message(group("Retry", ann, bob, cid), 1, ann, "important"));
        long handledMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(fcmServer.accepted(cidPhone)).hasSize(1);
        assertThat(handledMillis).as("the processor does not wait for the retries").isLessThan(2_000);
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);
        List<FakeFcm.Request> attempts = fcmServer.requests(bobPhone);
        assertThat(attempts).extracting(FakeFcm.Request::status).containsExactly(503, 503, 200);
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        assertThat(attempts.get(2).message().path("notification").path("body").asText()).isEqualTo("important");
    }

    @Test
    void aQuotaAnswerIsRetried() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        fcmServer.script(bobPhone, 429);

        processor.on(message(direct(ann, bob), 1, ann, "later"));

        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);
        assertThat(fcmServer.requests(bobPhone)).extracting(FakeFcm.Request::status).containsExactly(429, 200);
    }

    @Test
    void aRestartDoesNotPushTheSameMessageAgain() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        MessageSent first = message(chat, 1, ann, "once only");
        processor.on(first);
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);

        // the node dies before the processor's token is stored: after the restart the event comes again
        stopNode();
        startNode();
        Thread.sleep(WINDOW.toMillis());
        processor.on(first);

        Thread.sleep(WINDOW.toMillis() + 500);
        assertThat(fcmServer.requests(bobPhone)).hasSize(1);

        processor.on(message(chat, 2, ann, "a new one"));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2);
        assertThat(fcmServer.requests(bobPhone).get(1).message().path("notification").path("body").asText())
                .isEqualTo("a new one");
    }

    @Test
    void aSummaryWaitingAtRestartIsSentByTheNextRun() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        processor.on(message(chat, 1, ann, "one"));
        processor.on(message(chat, 2, ann, "two"));
        processor.on(message(chat, 3, ann, "three"));
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);

        stopNode();
        startNode();

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2);
        assertThat(fcmServer.requests(bobPhone).get(1).message().path("notification").path("body").asText())
                .isEqualTo("3 new messages");
        // once the answer is recorded nothing is left waiting
        awaitTrue(() -> jdbc.queryForObject("SELECT count(*) FROM push_schedule", Long.class) == 0);
    }

    @Test
    void aPushAlreadySentIsNotSentAgainWhenTheReadModelStoreLosesItsLastSeconds() throws Exception {
        String ann = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String bobPhone = "token-" + UUID.randomUUID();
        String chat = UUID.randomUUID().toString();
        AccountRegistered annRegistered = new AccountRegistered(ann, "ann" + ann.substring(0, 6), "Ann",
                Set.of(Role.USER), Instant.now());
        AccountRegistered bobRegistered = new AccountRegistered(bob, "bob" + bob.substring(0, 6), "Bob",
                Set.of(Role.USER), Instant.now());
        DeviceRegistered phone = new DeviceRegistered(bob, deviceIdOf(bobPhone), DevicePlatform.ANDROID, bobPhone,
                Instant.now());
        DirectConversationStarted started = new DirectConversationStarted(chat, List.of(ann, bob), ann, Instant.now());
        MessageSent first = message(chat, 1, ann, "one");
        Runnable history = () -> {
            processor.on(annRegistered);
            processor.on(bobRegistered);
            processor.on(phone);
            processor.on(started);
        };
        history.run();
        processor.on(first);
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);

        // the embedded MongoDB came back from an older checkpoint: the processor's views are gone and it replays
        // the tail, this message included, as live events
        stopNode();
        database = mongo.getDatabase("push-" + UUID.randomUUID());
        startNode();
        history.run();
        processor.on(first);

        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

}
