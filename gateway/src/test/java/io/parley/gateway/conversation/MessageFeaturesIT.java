package io.parley.gateway.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, Messages, through the API as a client uses it: edits, deletions and reactions over STOMP answered
 * by clientMessageId; a deleted message's edits keep no text in history and sync; unread counts leave deleted
 * messages out.
 */
class MessageFeaturesIT extends IntegrationTest {
    private static final String TYPES = "https://parley.io/problems/";

    private String group(User admin, User... others) {
        List<String> ids = new ArrayList<>();
        for (User other : others) {
            ids.add(other.id());
        }
        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Features",
                "memberIds", ids), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private long send(User from, String cid, String clientMessageId, String text) {
        Response sent = api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", clientMessageId, "text", text), from.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        return sent.json().get("seq").asLong();
    }

    private JsonNode history(User user, String cid) {
        Response page = api.get("/api/conversations/" + cid + "/messages?after=0", user.accessToken());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.json().get("messages");
    }

    private JsonNode synced(User user, String cid) {
        Response sync = api.get("/api/sync?since=" + cid + ":0", user.accessToken());
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        return ConversationRestIT.find(sync.json().get("conversations"), cid).get("entries");
    }

    private JsonNode inboxEntry(User user, String cid) {
        Response inbox = api.get("/api/conversations", user.accessToken());
        assertThat(inbox.status()).isEqualTo(200);
        for (JsonNode entry : inbox.json()) {
            if (entry.get("id").asText().equals(cid)) {
                return entry;
            }
        }
        throw new AssertionError("not in the inbox: " + cid);
    }

    /** The next live entry of this kind, skipping the others (the client's own frames among them). */
    private static JsonNode nextOfKind(StompTestClient client, String kind) {
        for (int i = 0; i < 20; i++) {
            JsonNode frame = client.next("messages");
            if (frame.get("kind").asText().equals(kind)) {
                return frame;
            }
        }
        throw new AssertionError("no " + kind + " frame");
    }

    @Test
    void stompEditsDeletionsAndReactionsAreAckedByClientMessageIdAndReachTheOtherMembers() {
        User ann = api.signUp("chgann");
        User bob = api.signUp("chgbob");
        User eve = api.signUp("chgeve");
        try (StompTestClient ca = StompTestClient.connect(port, ann.accessToken());
             StompTestClient cb = StompTestClient.connect(port, bob.accessToken());
             StompTestClient ce = StompTestClient.connect(port, eve.accessToken())) {
            String gid = group(ann, bob);
            assertThat(cb.next("messages").get("action").asText()).isEqualTo("CREATED");
            long seq = send(ann, gid, "c1", "helo");
            assertThat(cb.next("messages").get("seq").asLong()).isEqualTo(seq);

            ca.send("/app/messages.edit", Map.of("conversationId", gid, "seq", seq, "text", "hello",
                    "clientMessageId", "e1"));
            JsonNode edited = ca.next("acks");
            assertThat(edited.get("clientMessageId").asText()).isEqualTo("e1");
            assertThat(edited.get("conversationId").asText()).isEqualTo(gid);
            assertThat(edited.get("messageSeq").asLong()).isEqualTo(seq);
            assertThat(edited.get("seq").asLong()).isEqualTo(seq + 1);
            JsonNode editFrame = cb.next("messages");
            assertThat(editFrame.get("kind").asText()).isEqualTo("EDIT");
            assertThat(editFrame.get("text").asText()).isEqualTo("hello");

            cb.send("/app/messages.react", Map.of("conversationId", gid, "seq", seq, "emoji", "👍",
                    "clientMessageId", "r1"));
            JsonNode reacted = cb.next("acks");
            assertThat(reacted.get("clientMessageId").asText()).isEqualTo("r1");
            assertThat(reacted.get("seq").asLong()).isEqualTo(seq + 2);
            JsonNode reactionFrame = nextOfKind(ca, "REACTION");
            assertThat(reactionFrame.get("emoji").asText()).isEqualTo("👍");

            // refusals come back as failed acks: bob may not edit ann's message, eve is no member, bad input
            cb.send("/app/messages.edit", Map.of("conversationId", gid, "seq", seq, "text", "mine now",
                    "clientMessageId", "e2"));
            JsonNode notYours = cb.next("acks");
            assertThat(notYours.get("clientMessageId").asText()).isEqualTo("e2");
            assertThat(notYours.get("error").get("type").asText()).isEqualTo(TYPES + "not-your-message");
            ce.send("/app/messages.react", Map.of("conversationId", gid, "seq", seq, "emoji", "x",
                    "clientMessageId", "r2"));
            assertThat(ce.next("acks").get("error").get("type").asText()).isEqualTo(TYPES + "not-a-member");
            ca.send("/app/messages.delete", Map.of("conversationId", gid, "clientMessageId", "d0"));
            assertThat(ca.next("acks").get("error").get("type").asText()).isEqualTo(TYPES + "invalid-request");
            ca.sendRaw("/app/messages.delete", "{\"conversationId\":");
            assertThat(ca.next("errors").get("type").asText()).isEqualTo(TYPES + "malformed-frame");

            ca.send("/app/messages.delete", Map.of("conversationId", gid, "seq", seq, "clientMessageId", "d1"));
            JsonNode deleted = ca.next("acks");
            assertThat(deleted.get("clientMessageId").asText()).isEqualTo("d1");
            assertThat(deleted.get("seq").asLong()).isEqualTo(seq + 3);
            JsonNode deleteFrame = nextOfKind(cb, "DELETE");
            assertThat(deleteFrame.get("messageSeq").asLong()).isEqualTo(seq);
            ca.send("/app/messages.delete", Map.of("conversationId", gid, "seq", seq, "clientMessageId", "d2"));
            JsonNode again = ca.next("acks");
            assertThat(again.get("clientMessageId").asText()).isEqualTo("d2");
            assertThat(again.has("error")).isFalse();
            assertThat(again.has("seq")).as("a second deletion stores nothing").isFalse();
            assertThat(ca.isConnected()).isTrue();
        }
    }

    private long lastSeq(User user, String cid) {
        Response details = api.get("/api/conversations/" + cid, user.accessToken());
        assertThat(details.status()).as(details.body()).isEqualTo(200);
        return details.json().get("lastSeq").asLong();
    }

    /** A client that lost its ack resends the same frame: it gets the first ack again, and nothing more is stored. */
    @Test
    void retriedStompEditsReactionsAndDeletionsGetTheFirstAckAndStoreNothingMore() throws InterruptedException {
        User ann = api.signUp("rtyann");
        User bob = api.signUp("rtybob");
        try (StompTestClient ca = StompTestClient.connect(port, ann.accessToken());
             StompTestClient cb = StompTestClient.connect(port, bob.accessToken())) {
            String gid = group(ann, bob);
            long seq = send(ann, gid, "c1", "helo");

            Map<String, Object> edit = Map.of("conversationId", gid, "seq", seq, "text", "hello",
                    "clientMessageId", "e1");
            ca.send("/app/messages.edit", edit);
            JsonNode first = ca.next("acks");
            assertThat(first.get("seq").asLong()).isEqualTo(seq + 1);
            ca.send("/app/messages.edit", edit);
            assertThat(ca.next("acks")).isEqualTo(first);

            Map<String, Object> react = Map.of("conversationId", gid, "seq", seq, "emoji", "👍",
                    "clientMessageId", "r1");
            cb.send("/app/messages.react", react);
            JsonNode reacted = cb.next("acks");
            assertThat(reacted.get("seq").asLong()).isEqualTo(seq + 2);
            cb.send("/app/messages.react", react);
            assertThat(cb.next("acks")).isEqualTo(reacted);

            Map<String, Object> delete = Map.of("conversationId", gid, "seq", seq, "clientMessageId", "d1");
            ca.send("/app/messages.delete", delete);
            JsonNode deleted = ca.next("acks");
            assertThat(deleted.get("seq").asLong()).isEqualTo(seq + 3);
            ca.send("/app/messages.delete", delete);
            assertThat(ca.next("acks")).as("the retry names the deletion, not a no-op").isEqualTo(deleted);

            // STOMP acks do not wait for the views: read them once they hold the deletion, and a moment later
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (lastSeq(ann, gid) < seq + 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            assertThat(lastSeq(ann, gid)).as("one edit, one reaction, one deletion").isEqualTo(seq + 3);
        }
    }

    /** Uploads a small PNG as {@code user}; the media id. */
    String uploadPng(User user) throws Exception {
        return uploadPng(port, user);
    }

    /** Uploads a small PNG as {@code user} to the platform at {@code port}; the media id. */
    static String uploadPng(int port, User user) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        String boundary = "----features" + java.util.UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dot.png\""
                + "\r\nContent-Type: image/png\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/media"))
                .header("Authorization", "Bearer " + user.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.concat(
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(head),
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()),
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("id").asText();
    }

    private JsonNode message(User user, String cid, long seq) {
        for (JsonNode entry : history(user, cid)) {
            if (entry.get("seq").asLong() == seq) {
                return entry;
            }
        }
        throw new AssertionError("no entry " + seq + " in " + cid);
    }

    private void awaitStatus(String path, User user, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        int status;
        while ((status = api.get(path, user.accessToken()).status()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status).as(path).isEqualTo(expected);
    }

    @Test
    void forwardedCopiesNameTheirSourceAndReuseTheFileForTheirRecipients() throws Exception {
        User ann = api.signUp("fwdann");
        User bob = api.signUp("fwdbob");
        User cat = api.signUp("fwdcat");
        User dan = api.signUp("fwddan");
        String source = group(ann, bob);
        String target = group(bob, cat);
        String foreign = group(cat, dan);
        String mediaId = uploadPng(ann);
        Response picture = api.post("/api/conversations/" + source + "/messages",
                Map.of("clientMessageId", "p1", "text", "look", "mediaId", mediaId), ann.accessToken());
        assertThat(picture.status()).as(picture.body()).isEqualTo(201);
        long pictureSeq = picture.json().get("seq").asLong();
        awaitStatus("/api/media/" + mediaId, bob, 200);
        assertThat(api.get("/api/media/" + mediaId, cat.accessToken()).status()).isEqualTo(404);

        Response forwarded = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of(target), "clientMessageId", "fw1"), bob.accessToken());
        assertThat(forwarded.status()).as(forwarded.body()).isEqualTo(201);
        JsonNode copyAck = forwarded.json().get("copies").get(0);
        assertThat(copyAck.get("conversationId").asText()).isEqualTo(target);
        JsonNode copy = message(cat, target, copyAck.get("seq").asLong());
        assertThat(copy.get("senderId").asText()).isEqualTo(bob.id());
        assertThat(copy.get("type").asText()).isEqualTo("IMAGE");
        assertThat(copy.get("text").asText()).isEqualTo("look");
        assertThat(copy.get("media").get("mediaId").asText()).as("the file is reused, not copied").isEqualTo(mediaId);
        assertThat(copy.get("forwardedFrom").get("conversationId").asText()).isEqualTo(source);
        assertThat(copy.get("forwardedFrom").get("seq").asLong()).isEqualTo(pictureSeq);
        awaitStatus("/api/media/" + mediaId, cat, 200);
        assertThat(api.get("/api/media/" + mediaId, dan.accessToken()).status()).isEqualTo(404);

        Response again = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of(target), "clientMessageId", "fw1"), bob.accessToken());
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("copies").get(0).get("seq").asLong()).as("a retry stores nothing twice")
                .isEqualTo(copyAck.get("seq").asLong());

        // the forwarder must read the source and belong to every target, checked before any copy
        Response notInTarget = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of(target, foreign)), bob.accessToken());
        assertThat(notInTarget.status()).isEqualTo(404);
        assertThat(notInTarget.json().get("type").asText()).isEqualTo(TYPES + "not-found");
        Response notInSource = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of(target)), cat.accessToken());
        assertThat(notInSource.status()).isEqualTo(404);
        assertThat(api.post("/api/conversations/" + source + "/members", Map.of("userId", cat.id()),
                ann.accessToken()).status()).isEqualTo(204);
        // the views answer the forwarder's membership: wait until they hold cat's
        awaitStatus("/api/conversations/" + source, cat, 200);
        Response beforeJoining = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of(target)), cat.accessToken());
        assertThat(beforeJoining.status()).as("a late joiner cannot forward what came before them").isEqualTo(404);
        assertThat(beforeJoining.json().get("type").asText()).isEqualTo(TYPES + "message-not-found");
        Response empty = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of()), bob.accessToken());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.isProblem()).isTrue();
        assertThat(api.delete("/api/conversations/" + source + "/messages/" + pictureSeq, ann.accessToken()).status())
                .isEqualTo(204);
        Response deleted = api.post("/api/conversations/" + source + "/messages/" + pictureSeq + "/forward",
                Map.of("to", List.of(target)), bob.accessToken());
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.json().get("type").asText()).isEqualTo(TYPES + "message-not-found");
    }

    private JsonNode awaitJson(String path, User user, java.util.function.Predicate<JsonNode> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        JsonNode body;
        do {
            Response response = api.get(path, user.accessToken());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            body = response.json();
            if (done.test(body)) {
                return body;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return body;
    }

    private static List<Long> seqs(JsonNode entries) {
        List<Long> seqs = new ArrayList<>();
        entries.forEach(e -> seqs.add(e.get("seq").asLong()));
        return seqs;
    }

    @Test
    void starsAreTheCallersOwnAndListedNewestFirst() throws Exception {
        User ann = api.signUp("starann");
        User bob = api.signUp("starbob");
        User eve = api.signUp("stareve");
        String gid = group(ann, bob);
        long first = send(ann, gid, "s1", "first");
        long second = send(ann, gid, "s2", "second");
        String star = "/api/conversations/" + gid + "/messages/";
        assertThat(api.put(star + first + "/star", null, bob.accessToken()).status()).isEqualTo(204);
        assertThat(api.put(star + second + "/star", null, bob.accessToken()).status()).isEqualTo(204);
        assertThat(api.put(star + second + "/star", null, bob.accessToken()).status()).as("again: no change")
                .isEqualTo(204);
        JsonNode starred = awaitJson("/api/me/starred", bob, b -> b.get("messages").size() == 2).get("messages");
        assertThat(seqs(starred)).containsExactly(second, first);
        assertThat(starred.get(0).get("text").asText()).isEqualTo("second");
        assertThat(starred.get(0).get("conversationId").asText()).isEqualTo(gid);
        assertThat(api.get("/api/me/starred", ann.accessToken()).json().get("messages")).isEmpty();

        assertThat(api.delete(star + first + "/star", bob.accessToken()).status()).isEqualTo(204);
        assertThat(seqs(awaitJson("/api/me/starred", bob, b -> b.get("messages").size() == 1).get("messages")))
                .containsExactly(second);
        Response stranger = api.put(star + first + "/star", null, eve.accessToken());
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.isProblem()).isTrue();
        assertThat(api.put(star + 99 + "/star", null, bob.accessToken()).json().get("type").asText())
                .isEqualTo(TYPES + "message-not-found");
        // deleted for everyone: gone from the stars
        assertThat(api.delete(star + second, ann.accessToken()).status()).isEqualTo(204);
        assertThat(awaitJson("/api/me/starred", bob, b -> b.get("messages").isEmpty()).get("messages")).isEmpty();
    }

    @Test
    void deletedForMeLeavesOnlyTheCallersHistorySyncAndSearch() throws Exception {
        User ann = api.signUp("dfmann");
        User bob = api.signUp("dfmbob");
        String gid = group(ann, bob);
        String word = "forgetme" + java.util.UUID.randomUUID().toString().substring(0, 8);
        long hidden = send(ann, gid, "h1", word + " please");
        long kept = send(ann, gid, "h2", "kept");
        assertThat(api.put("/api/conversations/" + gid + "/messages/" + hidden + "/reaction", Map.of("emoji", "👍"),
                ann.accessToken()).status()).isEqualTo(204);
        awaitJson("/api/search?q=" + word, bob, b -> b.get("hits").size() == 1);
        assertThat(api.put("/api/conversations/" + gid + "/messages/" + hidden + "/star", null, bob.accessToken())
                .status()).isEqualTo(204);

        assertThat(api.delete("/api/conversations/" + gid + "/messages/" + hidden + "?for=me", bob.accessToken())
                .status()).isEqualTo(204);
        assertThat(api.delete("/api/conversations/" + gid + "/messages/" + hidden + "?for=me", bob.accessToken())
                .status()).as("again: no change").isEqualTo(204);

        JsonNode bobsHistory = awaitJson("/api/conversations/" + gid + "/messages?after=0", bob,
                b -> !seqs(b.get("messages")).contains(hidden)).get("messages");
        assertThat(seqs(bobsHistory)).contains(kept).doesNotContain(hidden);
        JsonNode bobsSync = synced(bob, gid);
        assertThat(bobsSync.toString()).doesNotContain(word);
        for (JsonNode entry : bobsSync) {
            assertThat(entry.path("messageSeq").asLong(-1)).as("its reaction goes too").isNotEqualTo(hidden);
        }
        assertThat(awaitJson("/api/search?q=" + word, bob, b -> b.get("hits").isEmpty()).get("hits")).isEmpty();
        assertThat(awaitJson("/api/me/starred", bob, b -> b.get("messages").isEmpty()).get("messages")).isEmpty();
        // ann keeps it everywhere
        assertThat(seqs(history(ann, gid))).contains(hidden);
        assertThat(awaitJson("/api/search?q=" + word, ann, b -> b.get("hits").size() == 1).get("hits")).hasSize(1);

        Response badScope = api.delete("/api/conversations/" + gid + "/messages/" + kept + "?for=them",
                bob.accessToken());
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.json().get("type").asText()).isEqualTo(TYPES + "invalid-parameter");
        assertThat(api.delete("/api/conversations/" + gid + "/messages/" + kept + "?for=me",
                api.signUp("dfmeve").accessToken()).status()).isEqualTo(404);
    }

    @Test
    void aDeletedMessagesEditsShowNoTextAndUnreadCountsLeaveDeletedMessagesOut() {
        User ann = api.signUp("fixann");
        User bob = api.signUp("fixbob");
        String gid = group(ann, bob);
        long secret = send(ann, gid, "f1", "the secret plan");
        send(ann, gid, "f2", "kept");
        assertThat(api.put("/api/conversations/" + gid + "/messages/" + secret,
                Map.of("text", "the secret plan, revised"), ann.accessToken()).status()).isEqualTo(204);
        assertThat(inboxEntry(bob, gid).get("unreadCount").asLong()).isEqualTo(2);

        assertThat(api.delete("/api/conversations/" + gid + "/messages/" + secret, ann.accessToken()).status())
                .isEqualTo(204);

        for (JsonNode entries : List.of(history(bob, gid), synced(bob, gid), synced(ann, gid))) {
            assertThat(entries.toString()).doesNotContain("secret");
        }
        JsonNode edit = null;
        for (JsonNode entry : synced(bob, gid)) {
            if (entry.get("kind").asText().equals("EDIT")) {
                edit = entry;
            }
        }
        assertThat(edit).isNotNull();
        assertThat(edit.get("messageSeq").asLong()).isEqualTo(secret);
        assertThat(edit.has("text")).isFalse();
        assertThat(inboxEntry(bob, gid).get("unreadCount").asLong()).as("only \"kept\" is left to read")
                .isEqualTo(1);
        assertThat(inboxEntry(ann, gid).get("unreadCount").asLong()).isZero();
    }
}
