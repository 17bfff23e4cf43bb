package io.parley.gateway.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, Groups, through the API as a client uses it: invite links, demoting admins, description and avatar in
 * the conversation view, announcement groups over REST and STOMP.
 */
class GroupFeaturesIT extends IntegrationTest {
    private static final String TYPES = "https://parley.io/problems/";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventSchema schema;

    private String group(User admin, User... others) {
        List<String> ids = new ArrayList<>();
        for (User other : others) {
            ids.add(other.id());
        }
        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Groups",
                "memberIds", ids), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static String type(Response response) {
        assertThat(response.isProblem()).as(response.body()).isTrue();
        return response.json().get("type").asText();
    }

    /** The member's role once the views show {@code expected} (they follow the event store), or as they stand. */
    private String roleOf(User viewer, String gid, User member, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        String role;
        do {
            role = null;
            for (JsonNode m : api.get("/api/conversations/" + gid + "/members", viewer.accessToken()).json()) {
                if (m.get("userId").asText().equals(member.id())) {
                    role = m.get("role").asText();
                }
            }
            if (expected.equals(role)) {
                return role;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return role;
    }

    private JsonNode awaitDetails(User user, String gid, java.util.function.Predicate<JsonNode> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        JsonNode details;
        do {
            Response response = api.get("/api/conversations/" + gid, user.accessToken());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            details = response.json();
            if (done.test(details)) {
                return details;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return details;
    }

    @Test
    void inviteLinksLetNewcomersInUntilUsedUpExpiredOrRevokedAndOnlyTheirHashIsStored() throws Exception {
        User ann = api.signUp("invann");
        User bob = api.signUp("invbob");
        User cat = api.signUp("invcat");
        User dan = api.signUp("invdan");
        String gid = group(ann, bob);

        Response refused = api.post("/api/conversations/" + gid + "/invites", Map.of(), bob.accessToken());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(type(refused)).isEqualTo(TYPES + "not-an-admin");
        Response created = api.post("/api/conversations/" + gid + "/invites", Map.of("maxUses", 1),
                ann.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("token").asText();
        assertThat(created.json().get("maxUses").asInt()).isEqualTo(1);
        assertThat(created.json().get("url").asText()).endsWith("/api/invites/" + token + "/join");

        Response joined = api.post("/api/invites/" + token + "/join", null, cat.accessToken());
        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        assertThat(joined.json().get("id").asText()).isEqualTo(gid);
        assertThat(joined.json().get("members").toString()).contains(cat.id());
        Response again = api.post("/api/invites/" + token + "/join", null, cat.accessToken());
        assertThat(again.status()).as("a member already: unchanged").isEqualTo(200);
        Response usedUp = api.post("/api/invites/" + token + "/join", null, dan.accessToken());
        assertThat(usedUp.status()).isEqualTo(409);
        assertThat(type(usedUp)).isEqualTo(TYPES + "invite-used-up");
        assertThat(api.get("/api/conversations/" + gid, dan.accessToken()).status()).isEqualTo(404);
        // the newcomer is a member like any other: history from their joining, sends
        Response catSends = api.post("/api/conversations/" + gid + "/messages",
                Map.of("clientMessageId", "c1", "text", "hi all"), cat.accessToken());
        assertThat(catSends.status()).as(catSends.body()).isEqualTo(201);

        String expiring = api.post("/api/conversations/" + gid + "/invites",
                Map.of("expiresAt", Instant.now().plusSeconds(2).toString()), ann.accessToken()).json()
                .get("token").asText();
        Thread.sleep(2_500);
        Response expired = api.post("/api/invites/" + expiring + "/join", null, dan.accessToken());
        assertThat(expired.status()).isEqualTo(410);
        assertThat(type(expired)).isEqualTo(TYPES + "invite-expired");

        String revoked = api.post("/api/conversations/" + gid + "/invites", null, ann.accessToken()).json()
                .get("token").asText();
        assertThat(api.delete("/api/conversations/" + gid + "/invites/" + revoked, bob.accessToken()).status())
                .isEqualTo(403);
        assertThat(api.delete("/api/conversations/" + gid + "/invites/" + revoked, ann.accessToken()).status())
                .isEqualTo(204);
        Response gone = api.post("/api/invites/" + revoked + "/join", null, dan.accessToken());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(type(gone)).isEqualTo(TYPES + "invite-revoked");

        Response unknown = api.post("/api/invites/" + token.substring(0, 32) + "x".repeat(43) + "/join", null,
                dan.accessToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(type(unknown)).isEqualTo(TYPES + "invite-not-found");
        Response malformed = api.post("/api/invites/nonsense/join", null, dan.accessToken());
        assertThat(malformed.status()).isEqualTo(404);
        Response noGroup = api.post("/api/invites/" + "0".repeat(32) + token.substring(32) + "/join", null,
                dan.accessToken());
        assertThat(noGroup.status()).isEqualTo(404);

        for (String t : List.of(token, expiring, revoked)) {
            Long rows = jdbc.queryForObject("SELECT count(*) FROM " + schema.domainEventTable() + " WHERE position(? in "
                    + "convert_from(" + schema.payloadColumn() + ", 'UTF8')) > 0", Long.class, t);
            assertThat(rows).as("the token itself is never stored").isZero();
        }
    }

    @Test
    void anAdminIsDemotedButNeverTheLastOne() throws InterruptedException {
        User ann = api.signUp("dmtann");
        User bob = api.signUp("dmtbob");
        String gid = group(ann, bob);
        assertThat(api.post("/api/conversations/" + gid + "/admins", Map.of("userId", bob.id()), ann.accessToken())
                .status()).isEqualTo(204);
        assertThat(roleOf(ann, gid, bob, "ADMIN")).isEqualTo("ADMIN");

        assertThat(api.delete("/api/conversations/" + gid + "/admins/" + bob.id(), ann.accessToken()).status())
                .isEqualTo(204);
        assertThat(roleOf(ann, gid, bob, "MEMBER")).isEqualTo("MEMBER");
        Response last = api.delete("/api/conversations/" + gid + "/admins/" + ann.id(), ann.accessToken());
        assertThat(last.status()).isEqualTo(409);
        assertThat(type(last)).isEqualTo(TYPES + "last-admin");
        Response notAdmin = api.delete("/api/conversations/" + gid + "/admins/" + ann.id(), bob.accessToken());
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(type(notAdmin)).isEqualTo(TYPES + "not-an-admin");
        assertThat(api.delete("/api/conversations/" + gid + "/admins/NOT-AN-ID", ann.accessToken()).status())
                .isEqualTo(400);
        JsonNode history = api.get("/api/conversations/" + gid + "/messages?after=0", bob.accessToken()).json()
                .get("messages");
        List<String> revoked = new ArrayList<>();
        history.forEach(e -> {
            if ("ADMIN_REVOKED".equals(e.path("action").asText())) {
                revoked.add(e.get("memberId").asText());
            }
        });
        assertThat(revoked).as("bob's demotion, and the refusals stored nothing").containsExactly(bob.id());
    }

    @Test
    void descriptionAndAvatarShowInTheConversationView() throws Exception {
        User ann = api.signUp("dscann");
        User bob = api.signUp("dscbob");
        String gid = group(ann, bob);
        String picture = uploadPng(ann);
        String bobsPicture = uploadPng(bob);

        try (StompTestClient cb = StompTestClient.connect(port, bob.accessToken())) {
            assertThat(api.put("/api/conversations/" + gid + "/description", Map.of("text", "  where we plan  "),
                    ann.accessToken()).status()).isEqualTo(204);
            JsonNode frame = cb.next("messages");
            assertThat(frame.get("kind").asText()).isEqualTo("MEMBERSHIP");
            assertThat(frame.get("action").asText()).isEqualTo("DESCRIPTION_CHANGED");
            assertThat(frame.get("description").asText()).isEqualTo("where we plan");
            assertThat(frame.get("actorId").asText()).isEqualTo(ann.id());
        }
        assertThat(api.put("/api/conversations/" + gid + "/avatar", Map.of("mediaId", picture), ann.accessToken())
                .status()).isEqualTo(204);
        JsonNode details = awaitDetails(bob, gid, d -> d.has("avatar"));
        assertThat(details.get("description").asText()).isEqualTo("where we plan");
        assertThat(details.get("avatar").get("mediaId").asText()).isEqualTo(picture);
        assertThat(details.get("avatar").get("kind").asText()).isEqualTo("IMAGE");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (api.get("/api/media/" + picture, bob.accessToken()).status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(api.get("/api/media/" + picture, bob.accessToken()).status()).as("members see the avatar")
                .isEqualTo(200);
        assertThat(api.get("/api/media/" + picture, api.signUp("dsceve").accessToken()).status()).isEqualTo(404);

        Response bobDescribes = api.put("/api/conversations/" + gid + "/description", Map.of("text", "mine"),
                bob.accessToken());
        assertThat(bobDescribes.status()).isEqualTo(403);
        Response notOwned = api.put("/api/conversations/" + gid + "/avatar", Map.of("mediaId", bobsPicture),
                ann.accessToken());
        assertThat(notOwned.status()).isEqualTo(403);
        assertThat(type(notOwned)).isEqualTo(TYPES + "media-not-owned");
        assertThat(api.put("/api/conversations/" + gid + "/description", Map.of("text", ""), ann.accessToken())
                .status()).isEqualTo(204);
        JsonNode cleared = awaitDetails(bob, gid, d -> d.path("description").isNull()
                || d.path("description").isMissingNode());
        assertThat(cleared.path("description").isNull() || cleared.path("description").isMissingNode())
                .as("cleared").isTrue();
        JsonNode history = api.get("/api/conversations/" + gid + "/messages?after=0", bob.accessToken()).json()
                .get("messages");
        assertThat(history.toString()).contains("DESCRIPTION_CHANGED").contains("AVATAR_CHANGED");
    }

    @Test
    void inAnAnnouncementGroupOnlyAdminsSendOverRestAndStomp() {
        User ann = api.signUp("annann");
        User bob = api.signUp("annbob");
        String gid = group(ann, bob);
        assertThat(api.put("/api/conversations/" + gid + "/announcement", Map.of("enabled", true), bob.accessToken())
                .status()).isEqualTo(403);
        assertThat(api.put("/api/conversations/" + gid + "/announcement", Map.of("enabled", true), ann.accessToken())
                .status()).isEqualTo(204);

        Response bobSends = api.post("/api/conversations/" + gid + "/messages",
                Map.of("clientMessageId", "b1", "text", "may I?"), bob.accessToken());
        assertThat(bobSends.status()).isEqualTo(403);
        assertThat(type(bobSends)).isEqualTo(TYPES + "not-an-admin");
        try (StompTestClient cb = StompTestClient.connect(port, bob.accessToken())) {
            cb.send("/app/messages.send", Map.of("conversationId", gid, "clientMessageId", "b2", "text", "and now?"));
            JsonNode ack = cb.next("acks");
            assertThat(ack.get("clientMessageId").asText()).isEqualTo("b2");
            assertThat(ack.get("error").get("type").asText()).isEqualTo(TYPES + "not-an-admin");
        }
        assertThat(api.post("/api/conversations/" + gid + "/messages", Map.of("clientMessageId", "a1",
                "text", "news"), ann.accessToken()).status()).isEqualTo(201);
        assertThat(api.get("/api/conversations/" + gid, bob.accessToken()).json().get("announcement").asBoolean())
                .isTrue();

        assertThat(api.put("/api/conversations/" + gid + "/announcement", Map.of("enabled", false), ann.accessToken())
                .status()).isEqualTo(204);
        assertThat(api.post("/api/conversations/" + gid + "/messages", Map.of("clientMessageId", "b3",
                "text", "finally"), bob.accessToken()).status()).isEqualTo(201);
    }

    private String uploadPng(User user) throws Exception {
        return MessageFeaturesIT.uploadPng(port, user);
    }
}
