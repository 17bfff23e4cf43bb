package io.parley.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocking as a client sees it (README, Blocking): the block list; a blocked user's direct messages are
 * acknowledged to them and never reach the blocker (live, history, sync, inbox, search, receipts), not even after
 * the unblock; presence and typing stop both ways; the blocker is left out of the blocked user's groups; group
 * messages still reach everyone.
 */
class BlockingIT extends IntegrationTest {
    private static final String TYPES = "https://parley.io/problems/";

    private static Response await(Supplier<Response> call, Predicate<Response> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Response last = call.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = call.get();
        }
        return last;
    }

    private Response send(User from, String cid, String text) {
        return api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", text), from.accessToken());
    }

    private static List<String> texts(JsonNode entries) {
        List<String> texts = new ArrayList<>();
        entries.forEach(e -> {
            if (e.has("text")) {
                texts.add(e.get("text").asText());
            }
        });
        return texts;
    }

    private List<String> history(User user, String cid) {
        Response page = api.get("/api/conversations/" + cid + "/messages?limit=200", user.accessToken());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return texts(page.json().get("messages"));
    }

    private List<String> synced(User user, String cid) {
        Response sync = api.get("/api/sync?since=" + cid + ":0", user.accessToken());
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        for (JsonNode conv : sync.json().get("conversations")) {
            if (conv.get("id").asText().equals(cid)) {
                return texts(conv.get("entries"));
            }
        }
        return List.of();
    }

    private Response search(User user, String word) {
        return api.get("/api/search?q=" + word, user.accessToken());
    }

    @Test
    void aBlockedUsersMessagesAreAcknowledgedAndNeverReachTheBlocker() {
        User ann = api.signUp("blkann");
        User bob = api.signUp("blkbob");
        String word = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Response opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()), ann.accessToken());
        String chat = opened.json().get("id").asText();
        assertThat(send(bob, chat, "before the block").status()).isEqualTo(201);

        assertThat(api.post("/api/me/blocked/" + bob.id(), null, ann.accessToken()).status()).isEqualTo(204);
        Response list = await(() -> api.get("/api/me/blocked", ann.accessToken()), r -> r.json().size() == 1);
        assertThat(list.json().get(0).get("userId").asText()).isEqualTo(bob.id());
        assertThat(list.json().get(0).get("at").asText()).isNotBlank();
        // blocking again changes nothing
        assertThat(api.post("/api/me/blocked/" + bob.id(), null, ann.accessToken()).status()).isEqualTo(204);

        try (StompTestClient annLive = StompTestClient.connect(port, ann.accessToken());
             StompTestClient bobLive = StompTestClient.connect(port, bob.accessToken())) {
            Response sent = send(bob, chat, "withheld " + word);
            assertThat(sent.status()).as("the blocked side is acknowledged as usual").isEqualTo(201);
            long withheldSeq = sent.json().get("seq").asLong();
            JsonNode bobsFrame = bobLive.nextMessage();
            assertThat(bobsFrame.get("seq").asLong()).as("the sender's own devices get it").isEqualTo(withheldSeq);
            assertThat(annLive.drain("messages", Duration.ofSeconds(1))).noneMatch(f -> f.path("text").asText()
                    .contains(word));

            assertThat(history(bob, chat)).contains("withheld " + word);
            assertThat(history(ann, chat)).containsExactly("before the block");
            assertThat(synced(ann, chat)).containsExactly("before the block");
            assertThat(synced(bob, chat)).contains("withheld " + word);
            Response annInbox = api.get("/api/conversations", ann.accessToken());
            JsonNode chatOfAnn = null;
            for (JsonNode entry : annInbox.json()) {
                if (entry.get("id").asText().equals(chat)) {
                    chatOfAnn = entry;
                }
            }
            assertThat(chatOfAnn).isNotNull();
            assertThat(chatOfAnn.get("lastMessage").get("text").asText()).isEqualTo("before the block");
            assertThat(chatOfAnn.get("unreadCount").asLong()).isEqualTo(1);
            // Bob's inbox shows his message as the last one, as if it had gone through
            Response bobInbox = await(() -> api.get("/api/conversations", bob.accessToken()),
                    r -> r.body().contains("withheld " + word));
            assertThat(bobInbox.body()).contains("withheld " + word);

            assertThat(api.get("/api/conversations/" + chat + "/messages/" + withheldSeq + "/receipts",
                    ann.accessToken()).status()).isEqualTo(404);
            assertThat(api.post("/api/conversations/" + chat + "/receipts/read", Map.of("upToSeq", withheldSeq),
                    ann.accessToken()).status()).isEqualTo(204);
            assertThat(await(() -> search(bob, word), r -> r.json().get("hits").size() == 1).json().get("hits").size())
                    .isEqualTo(1);
            assertThat(search(ann, word).json().get("hits").size()).isZero();
            Response receipts = api.get("/api/conversations/" + chat + "/messages/" + withheldSeq + "/receipts",
                    bob.accessToken());
            assertThat(receipts.json().get("state").asText()).as("never delivered: one tick").isEqualTo("SENT");

            Response byBlocker = send(ann, chat, "from the blocker");
            assertThat(byBlocker.status()).isEqualTo(403);
            assertThat(byBlocker.json().get("type").asText()).isEqualTo(TYPES + "blocked");

            // unblocked: what follows reaches Ann, what was withheld stays withheld
            assertThat(api.delete("/api/me/blocked/" + bob.id(), ann.accessToken()).status()).isEqualTo(204);
            assertThat(await(() -> api.get("/api/me/blocked", ann.accessToken()), r -> r.json().isEmpty()).json())
                    .isEmpty();
            Response after = send(bob, chat, "after the unblock");
            assertThat(after.status()).isEqualTo(201);
            long afterSeq = after.json().get("seq").asLong();
            JsonNode live = annLive.nextMessage();
            assertThat(live.get("text").asText()).isEqualTo("after the unblock");
            assertThat(history(ann, chat)).containsExactly("after the unblock", "before the block");
            assertThat(synced(ann, chat)).containsExactly("before the block", "after the unblock");
            assertThat(api.get("/api/conversations/" + chat + "/messages/" + withheldSeq + "/receipts",
                    bob.accessToken()).json().get("state").asText()).isEqualTo("SENT");
            assertThat(search(ann, word).json().get("hits").size()).isZero();

            // Ann reads up to Bob's new message: her watermark passes the withheld one by seq, yet it stays "sent"
            // for Bob, live and in the receipts; Ann's own devices are told nothing of it
            assertThat(api.post("/api/conversations/" + chat + "/receipts/read", Map.of("upToSeq", afterSeq),
                    ann.accessToken()).status()).isEqualTo(204);
            JsonNode bobsReceipt = receiptUpTo(bobLive, afterSeq);
            assertThat(bobsReceipt.get("kind").asText()).isEqualTo("READ");
            assertThat(bobsReceipt.get("except")).extracting(JsonNode::asLong).containsExactly(withheldSeq);
            assertThat(receiptUpTo(annLive, afterSeq).has("except")).isFalse();
            assertThat(await(() -> api.get("/api/conversations/" + chat + "/messages/" + afterSeq + "/receipts",
                    bob.accessToken()), r -> r.json().path("state").asText().equals("READ")).json().get("state")
                    .asText()).isEqualTo("READ");
            assertThat(api.get("/api/conversations/" + chat + "/messages/" + withheldSeq + "/receipts",
                    bob.accessToken()).json().get("state").asText()).isEqualTo("SENT");
        }
    }

    /** The next live receipt reaching {@code upToSeq}, skipping earlier ones. */
    private static JsonNode receiptUpTo(StompTestClient client, long upToSeq) {
        for (int i = 0; i < 10; i++) {
            JsonNode frame = client.next("receipts", Duration.ofSeconds(10));
            assertThat(frame).as("a receipt up to " + upToSeq).isNotNull();
            if (frame.get("upToSeq").asLong() == upToSeq) {
                return frame;
            }
        }
        throw new AssertionError("no receipt up to " + upToSeq);
    }

    @Test
    void aChatTheBlockedUserOpensLeavesNoTraceWithTheBlocker() {
        User ann = api.signUp("blkna");
        User dan = api.signUp("blknd");
        assertThat(api.post("/api/me/blocked/" + dan.id(), null, ann.accessToken()).status()).isEqualTo(204);
        // the live frame is decided from the accounts view: let it hold the block (a matter of milliseconds)
        await(() -> api.get("/api/me/blocked", ann.accessToken()), r -> r.body().contains(dan.id()));
        try (StompTestClient annLive = StompTestClient.connect(port, ann.accessToken())) {
            Response opened = await(() -> api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", ann.id()),
                    dan.accessToken()), r -> r.status() == 201 || r.status() == 200);
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            String chat = opened.json().get("id").asText();
            assertThat(send(dan, chat, "hello?").status()).isEqualTo(201);
            assertThat(await(() -> api.get("/api/conversations/" + chat, dan.accessToken()), r -> r.status() == 200)
                    .status()).isEqualTo(200);

            assertThat(annLive.drain("messages", Duration.ofSeconds(1))).as("no CREATED frame, no message")
                    .noneMatch(f -> f.path("conversationId").asText().equals(chat));
            assertThat(api.get("/api/conversations", ann.accessToken()).body()).doesNotContain(chat);
            assertThat(api.get("/api/conversations/" + chat, ann.accessToken()).status()).isEqualTo(404);
            assertThat(api.get("/api/conversations/" + chat + "/messages", ann.accessToken()).status()).isEqualTo(404);
            assertThat(api.get("/api/sync", ann.accessToken()).body()).doesNotContain(chat);

            assertThat(api.delete("/api/me/blocked/" + dan.id(), ann.accessToken()).status()).isEqualTo(204);
            assertThat(await(() -> api.get("/api/conversations", ann.accessToken()), r -> r.body().contains(chat))
                    .body()).as("unblocked: the chat shows, without what was withheld").contains(chat)
                    .doesNotContain("hello?");
        }
    }

    @Test
    void presenceAndTypingStopBothWays() {
        User ann = api.signUp("blkpa");
        User bob = api.signUp("blkpb");
        String chat = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()), ann.accessToken())
                .json().get("id").asText();
        assertThat(await(() -> api.get("/api/users/" + bob.id() + "/presence", ann.accessToken()),
                r -> r.status() == 200).status()).isEqualTo(200);

        assertThat(api.post("/api/me/blocked/" + ann.id(), null, bob.accessToken()).status()).isEqualTo(204);
        assertThat(await(() -> api.get("/api/users/" + bob.id() + "/presence", ann.accessToken()),
                r -> r.status() == 404).status()).as("the blocked no longer see the blocker").isEqualTo(404);
        assertThat(api.get("/api/users/" + ann.id() + "/presence", bob.accessToken()).status())
                .as("nor the blocker the blocked").isEqualTo(404);

        try (StompTestClient annLive = StompTestClient.connect(port, ann.accessToken());
             StompTestClient bobLive = StompTestClient.connect(port, bob.accessToken())) {
            annLive.send("/app/typing", Map.of("conversationId", chat, "typing", true));
            bobLive.send("/app/typing", Map.of("conversationId", chat, "typing", true));
            assertThat(bobLive.drain("typing", Duration.ofSeconds(1))).isEmpty();
            assertThat(annLive.drain("typing", Duration.ofMillis(300))).isEmpty();
            assertThat(bobLive.drain("presence", Duration.ofMillis(100))).noneMatch(f -> f.path("userId").asText()
                    .equals(ann.id()));

            assertThat(api.delete("/api/me/blocked/" + ann.id(), bob.accessToken()).status()).isEqualTo(204);
            await(() -> api.get("/api/users/" + bob.id() + "/presence", ann.accessToken()), r -> r.status() == 200);
            annLive.send("/app/typing", Map.of("conversationId", chat, "typing", true));
            JsonNode typing = bobLive.next("typing", Duration.ofSeconds(5));
            assertThat(typing).isNotNull();
            assertThat(typing.get("userId").asText()).isEqualTo(ann.id());
        }
    }

    @Test
    void theBlockerIsLeftOutOfTheBlockedUsersGroupsAndGroupMessagesReachEveryone() {
        User ann = api.signUp("blkga");
        User bob = api.signUp("blkgb");
        User cal = api.signUp("blkgc");
        assertThat(api.post("/api/me/blocked/" + bob.id(), null, ann.accessToken()).status()).isEqualTo(204);

        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Bob's",
                "memberIds", List.of(ann.id(), cal.id())), bob.accessToken());
        assertThat(created.status()).isEqualTo(201);
        String bobsGroup = created.json().get("id").asText();
        Response members = await(() -> api.get("/api/conversations/" + bobsGroup + "/members", bob.accessToken()),
                r -> r.status() == 200);
        assertThat(members.json().findValuesAsText("userId")).containsExactly(bob.id(), cal.id());
        Response added = api.post("/api/conversations/" + bobsGroup + "/members", Map.of("userId", ann.id()),
                bob.accessToken());
        assertThat(added.status()).as("acknowledged like an add, so Bob is not told").isEqualTo(204);
        assertThat(api.get("/api/conversations/" + bobsGroup, ann.accessToken()).status()).isEqualTo(404);

        // in Cal's group both are members: Bob's messages reach Ann, as in WhatsApp
        String calsGroup = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Cal's",
                "memberIds", List.of(ann.id(), bob.id())), cal.accessToken()).json().get("id").asText();
        assertThat(send(bob, calsGroup, "hello group").status()).isEqualTo(201);
        assertThat(await(() -> api.get("/api/conversations/" + calsGroup + "/messages", ann.accessToken()),
                r -> r.status() == 200 && r.body().contains("hello group")).body()).contains("hello group");
    }

    @Test
    void badTargetsAreProblems() {
        User ann = api.signUp("blkbad");
        Response malformed = api.post("/api/me/blocked/not-an-id", null, ann.accessToken());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("type").asText()).isEqualTo(TYPES + "invalid-account-id");
        Response unknown = api.post("/api/me/blocked/" + UUID.randomUUID(), null, ann.accessToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).isEqualTo(TYPES + "account-not-found");
        Response self = api.post("/api/me/blocked/" + ann.id(), null, ann.accessToken());
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.json().get("type").asText()).isEqualTo(TYPES + "cannot-block-self");
        assertThat(api.delete("/api/me/blocked/not-an-id", ann.accessToken()).status()).isEqualTo(400);
        assertThat(api.get("/api/me/blocked", null).status()).isEqualTo(401);
    }
}
