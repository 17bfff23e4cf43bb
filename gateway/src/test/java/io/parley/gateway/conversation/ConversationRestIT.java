package io.parley.gateway.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The conversation REST API end to end: direct chat, group, messages, history, inbox, sync, members, 404s. */
class ConversationRestIT extends IntegrationTest {

    @Test
    void directChatMessagesHistoryInboxAndSync() {
        User alice = api.signUp("alice");
        User bob = api.signUp("bob");
        User eve = api.signUp("eve");

        Response opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()), alice.accessToken());
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String cid = opened.json().get("id").asText();
        assertThat(opened.json().get("members")).hasSize(2);
        Response again = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", alice.id()), bob.accessToken());
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(cid);

        for (int i = 1; i <= 3; i++) {
            Response sent = send(alice, cid, "c" + i, "hello " + i);
            assertThat(sent.status()).as(sent.body()).isEqualTo(201);
            assertThat(sent.json().get("seq").asLong()).isEqualTo(i);
            assertThat(sent.json().get("clientMessageId").asText()).isEqualTo("c" + i);
        }
        Response retry = send(alice, cid, "c2", "hello 2");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("seq").asLong()).isEqualTo(2);
        Response reply = send(bob, cid, "b1", "hi alice");
        assertThat(reply.json().get("seq").asLong()).isEqualTo(4);

        Response newestFirst = api.get("/api/conversations/" + cid + "/messages", alice.accessToken());
        assertThat(newestFirst.status()).as(newestFirst.body()).isEqualTo(200);
        assertThat(seqs(newestFirst.json().get("messages"))).containsExactly(4L, 3L, 2L, 1L);
        assertThat(newestFirst.json().get("hasMore").asBoolean()).isFalse();
        Response after = api.get("/api/conversations/" + cid + "/messages?after=1&limit=2", bob.accessToken());
        assertThat(seqs(after.json().get("messages"))).containsExactly(2L, 3L);
        assertThat(after.json().get("hasMore").asBoolean()).isTrue();
        JsonNode first = after.json().get("messages").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("MESSAGE");
        assertThat(first.get("senderId").asText()).isEqualTo(alice.id());
        assertThat(first.get("text").asText()).isEqualTo("hello 2");
        Response before = api.get("/api/conversations/" + cid + "/messages?before=3", bob.accessToken());
        assertThat(seqs(before.json().get("messages"))).containsExactly(2L, 1L);

        // bob's inbox: three unread from alice (his own reply counts as read up to it)
        Response bobInbox = api.get("/api/conversations", bob.accessToken());
        assertThat(bobInbox.status()).isEqualTo(200);
        JsonNode entry = find(bobInbox.json(), cid);
        assertThat(entry.get("type").asText()).isEqualTo("DIRECT");
        assertThat(entry.get("lastMessage").get("text").asText()).isEqualTo("hi alice");
        assertThat(entry.get("unreadCount").asLong()).isZero();
        JsonNode aliceEntry = find(api.get("/api/conversations", alice.accessToken()).json(), cid);
        assertThat(aliceEntry.get("unreadCount").asLong()).isEqualTo(1);
        assertThat(aliceEntry.get("lastActivityAt").isTextual()).isTrue();

        Response sync = api.get("/api/sync?since=" + cid + ":2", bob.accessToken());
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        JsonNode synced = find(sync.json().get("conversations"), cid);
        assertThat(seqs(synced.get("entries"))).containsExactly(3L, 4L);
        assertThat(synced.get("upToSeq").asLong()).isEqualTo(4);

        // a stranger sees nothing of it
        assertThat(api.get("/api/conversations/" + cid, eve.accessToken()).status()).isEqualTo(404);
        assertThat(api.get("/api/conversations/" + cid + "/messages", eve.accessToken()).status()).isEqualTo(404);
        assertThat(api.get("/api/conversations/" + cid + "/members", eve.accessToken()).status()).isEqualTo(404);
        Response strangerSend = send(eve, cid, "e1", "let me in");
        assertThat(strangerSend.status()).isEqualTo(404);
        assertThat(strangerSend.isProblem()).isTrue();
        assertThat(api.get("/api/conversations/" + UUID.randomUUID(), eve.accessToken()).status()).isEqualTo(404);
        assertThat(find(api.get("/api/conversations", eve.accessToken()).json(), cid)).isNull();
    }

    @Test
    void groupMembersAddRemoveAndLeave() {
        User admin = api.signUp("gadm");
        User b = api.signUp("gb");
        User c = api.signUp("gc");
        User d = api.signUp("gd");

        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "  Team  ",
                "memberIds", List.of(b.id(), c.id())), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String gid = created.json().get("id").asText();
        assertThat(created.json().get("title").asText()).isEqualTo("Team");
        assertThat(created.json().get("members")).hasSize(3);
        assertThat(created.json().get("members").get(0).get("role").asText()).isEqualTo("ADMIN");

        assertThat(send(b, gid, "m1", "first").json().get("seq").asLong()).isEqualTo(1);
        // only admins add
        assertThat(api.post("/api/conversations/" + gid + "/members", Map.of("userId", d.id()), b.accessToken()).status())
                .isEqualTo(403);
        assertThat(api.post("/api/conversations/" + gid + "/members", Map.of("userId", d.id()), admin.accessToken()).status())
                .isEqualTo(204);
        assertThat(send(d, gid, "m2", "hello all").json().get("seq").asLong()).isEqualTo(3);
        // admin removes c; b leaves
        assertThat(api.delete("/api/conversations/" + gid + "/members/" + c.id(), admin.accessToken()).status()).isEqualTo(204);
        assertThat(api.delete("/api/conversations/" + gid + "/members/" + b.id(), b.accessToken()).status()).isEqualTo(204);
        assertThat(send(admin, gid, "m3", "after").json().get("seq").asLong()).isEqualTo(6);

        Response members = api.get("/api/conversations/" + gid + "/members", admin.accessToken());
        assertThat(members.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        members.json().forEach(m -> ids.add(m.get("userId").asText()));
        assertThat(ids).containsExactlyInAnyOrder(admin.id(), d.id());

        // history shows messages and membership notices
        JsonNode history = api.get("/api/conversations/" + gid + "/messages?after=0", admin.accessToken()).json().get("messages");
        assertThat(seqs(history)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(history.get(1).get("kind").asText()).isEqualTo("MEMBERSHIP");
        assertThat(history.get(1).get("action").asText()).isEqualTo("ADDED");

        // the removed member keeps history up to the removal and nothing after
        Response removedView = api.get("/api/conversations/" + gid + "/messages?after=0", c.accessToken());
        assertThat(removedView.status()).isEqualTo(200);
        assertThat(seqs(removedView.json().get("messages"))).doesNotContain(6L).contains(1L);
        assertThat(send(c, gid, "m4", "still here?").status()).isEqualTo(404);
        JsonNode cInbox = find(api.get("/api/conversations", c.accessToken()).json(), gid);
        assertThat(cInbox).isNotNull();

        // group of 101 is refused
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tooMany.add(UUID.randomUUID().toString());
        }
        Response full = api.post("/api/conversations", Map.of("type", "GROUP", "title", "big", "memberIds", tooMany),
                admin.accessToken());
        assertThat(full.status()).isIn(400, 409);
        assertThat(full.isProblem()).isTrue();
    }

    private Response send(User user, String cid, String clientMessageId, String text) {
        return api.post("/api/conversations/" + cid + "/messages", Map.of("clientMessageId", clientMessageId, "text", text),
                user.accessToken());
    }

    static List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.get("seq").asLong()));
        return seqs;
    }

    static JsonNode find(JsonNode list, String id) {
        for (JsonNode node : list) {
            if (node.get("id").asText().equals(id)) {
                return node;
            }
        }
        return null;
    }
}
