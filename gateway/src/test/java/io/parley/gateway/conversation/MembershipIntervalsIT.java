package io.parley.gateway.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.parley.gateway.conversation.ConversationRestIT.find;
import static io.parley.gateway.conversation.ConversationRestIT.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everyone sees the interval of their latest membership (docs/design.md, section 4, "Late joiners and former
 * members"), through the REST API as a client uses it: a late joiner nothing from before their joining, a
 * removed member nothing that changed after their removal.
 */
class MembershipIntervalsIT extends IntegrationTest {

    @Test
    void aLateJoinerSeesOnlyWhatFollowsTheirJoining() {
        User admin = api.signUp("ljadm");
        User b = api.signUp("ljb");
        User late = api.signUp("ljlate");
        String gid = group(admin, b);
        assertThat(send(admin, gid, "p1", "before you came").json().get("seq").asLong()).isEqualTo(1);
        assertThat(send(b, gid, "p2", "secret plans").json().get("seq").asLong()).isEqualTo(2);
        assertThat(api.post("/api/conversations/" + gid + "/receipts/read", Map.of("upToSeq", 1), b.accessToken())
                .status()).isEqualTo(204);
        assertThat(api.post("/api/conversations/" + gid + "/members", Map.of("userId", late.id()),
                admin.accessToken()).status()).isEqualTo(204);   // seq 3
        // the views apply the addition asynchronously: a client learns of it by a live frame or the next sync
        await(() -> api.get("/api/conversations/" + gid, late.accessToken()).status() == 200);

        Response history = api.get("/api/conversations/" + gid + "/messages", late.accessToken());
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(seqs(history.json().get("messages"))).containsExactly(3L);
        assertThat(seqs(api.get("/api/conversations/" + gid + "/messages?after=0", late.accessToken()).json()
                .get("messages"))).containsExactly(3L);
        JsonNode synced = find(api.get("/api/sync", late.accessToken()).json().get("conversations"), gid);
        assertThat(seqs(synced.get("entries"))).containsExactly(3L);
        JsonNode claimed = find(api.get("/api/sync?since=" + gid + ":0", late.accessToken()).json()
                .get("conversations"), gid);
        assertThat(seqs(claimed.get("entries"))).containsExactly(3L);
        Response receipts = api.get("/api/conversations/" + gid + "/messages/1/receipts", late.accessToken());
        assertThat(receipts.status()).as(receipts.body()).isEqualTo(404);
        assertThat(api.get("/api/conversations/" + gid + "/messages/1/receipts", b.accessToken()).status())
                .isEqualTo(200);
        JsonNode inbox = find(api.get("/api/conversations", late.accessToken()).json(), gid);
        assertThat(inbox.path("lastMessage").path("text").asText(null)).isNull();
        assertThat(inbox.get("unreadCount").asLong()).isZero();

        // from their joining on they see everything
        assertThat(send(admin, gid, "p4", "welcome").json().get("seq").asLong()).isEqualTo(4);
        assertThat(seqs(api.get("/api/conversations/" + gid + "/messages", late.accessToken()).json()
                .get("messages"))).containsExactly(4L, 3L);
        assertThat(find(api.get("/api/conversations", late.accessToken()).json(), gid).get("lastMessage")
                .get("text").asText()).isEqualTo("welcome");
        assertThat(api.get("/api/conversations/" + gid + "/messages/4/receipts", late.accessToken()).status())
                .isEqualTo(200);
    }

    @Test
    void anAdminsEditAfterARemovalIsInvisibleToTheRemovedMember() {
        User admin = api.signUp("rmadm");
        User b = api.signUp("rmb");
        User gone = api.signUp("rmgone");
        String gid = group(admin, b, gone);
        assertThat(send(admin, gid, "q1", "meet at noon").json().get("seq").asLong()).isEqualTo(1);
        assertThat(api.delete("/api/conversations/" + gid + "/members/" + gone.id(), admin.accessToken()).status())
                .isEqualTo(204);   // seq 2
        Response edited = api.put("/api/conversations/" + gid + "/messages/1",
                Map.of("text", "meet at the secret place"), admin.accessToken());   // seq 3
        assertThat(edited.status()).as(edited.body()).isEqualTo(204);
        Response reacted = api.put("/api/conversations/" + gid + "/messages/1/reaction", Map.of("emoji", "👍"),
                b.accessToken());   // seq 4
        assertThat(reacted.status()).as(reacted.body()).isEqualTo(204);

        // members see the edit (once the views applied the last change)
        await(() -> api.get("/api/conversations/" + gid, b.accessToken()).json().get("lastSeq").asLong() == 4);
        JsonNode forB = api.get("/api/conversations/" + gid + "/messages?after=0", b.accessToken()).json()
                .get("messages");
        assertThat(forB.get(0).get("text").asText()).isEqualTo("meet at the secret place");

        // the removed member's view froze at their removal
        JsonNode history = api.get("/api/conversations/" + gid + "/messages?after=0", gone.accessToken()).json()
                .get("messages");
        assertThat(seqs(history)).containsExactly(1L, 2L);
        assertThat(history.get(0).get("text").asText()).isEqualTo("meet at noon");
        assertThat(history.get(0).has("editedAt")).isFalse();
        assertThat(history.get(0).path("reactions").size()).isZero();
        JsonNode synced = find(api.get("/api/sync", gone.accessToken()).json().get("conversations"), gid);
        assertThat(seqs(synced.get("entries"))).containsExactly(1L, 2L);
        assertThat(synced.get("entries").get(0).get("text").asText()).isEqualTo("meet at noon");
        assertThat(synced.get("removed").asBoolean()).isTrue();
        Response details = api.get("/api/conversations/" + gid, gone.accessToken());
        assertThat(details.status()).isEqualTo(200);
        assertThat(details.json().get("lastSeq").asLong()).isEqualTo(2);
        JsonNode inbox = find(api.get("/api/conversations", gone.accessToken()).json(), gid);
        assertThat(inbox.get("lastSeq").asLong()).isEqualTo(2);
        assertThat(inbox.get("lastMessage").get("text").asText()).isEqualTo("meet at noon");

        // nor does search show them the new text: once the index has the edit, the message is not found by them
        await(() -> search(b, "secret", gid).size() == 1);
        assertThat(search(gone, "secret", gid)).isEmpty();
        assertThat(search(gone, "noon", gid)).isEmpty();
        assertThat(search(b, "noon", gid)).isEmpty();
    }

    @Test
    void aRejoinedMemberSeesTheirLatestIntervalOnlyInHistoryAndSearch() {
        User admin = api.signUp("rjadm");
        User back = api.signUp("rjback");
        String gid = group(admin, back);
        assertThat(send(admin, gid, "r1", "zebra crossing").json().get("seq").asLong()).isEqualTo(1);
        assertThat(api.delete("/api/conversations/" + gid + "/members/" + back.id(), admin.accessToken()).status())
                .isEqualTo(204);   // seq 2
        assertThat(api.post("/api/conversations/" + gid + "/members", Map.of("userId", back.id()),
                admin.accessToken()).status()).isEqualTo(204);   // seq 3
        assertThat(send(admin, gid, "r4", "zebra again").json().get("seq").asLong()).isEqualTo(4);

        await(() -> search(admin, "zebra", gid).size() == 2);
        JsonNode hits = search(back, "zebra", gid);
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).get("seq").asLong()).isEqualTo(4);
        assertThat(seqs(api.get("/api/conversations/" + gid + "/messages", back.accessToken()).json()
                .get("messages"))).containsExactly(4L, 3L);
    }

    private JsonNode search(User user, String word, String cid) {
        Response response = api.get("/api/search?q=" + word + "&conversation=" + cid, user.accessToken());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("hits");
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private String group(User admin, User... members) {
        List<String> ids = java.util.Arrays.stream(members).map(User::id).toList();
        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Intervals",
                "memberIds", ids), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private Response send(User user, String cid, String clientMessageId, String text) {
        return api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", clientMessageId, "text", text), user.accessToken());
    }
}
