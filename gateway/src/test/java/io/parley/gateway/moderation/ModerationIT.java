package io.parley.gateway.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompHeaders;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports and moderation as clients and admins drive them (README, Reports and moderation): reporting what one
 * sees, the admins' list and resolution; suspension and reinstatement; moderation deletes and removals.
 */
class ModerationIT extends IntegrationTest {
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

    private String group(User admin, User... others) {
        Response created = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Moderated",
                "memberIds", java.util.Arrays.stream(others).map(User::id).toList()), admin.accessToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private long send(User from, String cid, String text) {
        Response sent = api.post("/api/conversations/" + cid + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", text), from.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        return sent.json().get("seq").asLong();
    }

    private static JsonNode find(JsonNode reports, String id) {
        for (JsonNode report : reports) {
            if (report.get("id").asText().equals(id)) {
                return report;
            }
        }
        return null;
    }

    @Test
    void aMemberReportsWhatTheySeeAndAnAdminResolvesIt() {
        User ann = api.signUp("rpann");
        User bob = api.signUp("rpbob");
        User eve = api.signUp("rpeve");
        User admin = api.admin();
        String cid = group(ann, bob);
        long seq = send(bob, cid, "buy cheap watches");

        Response filed = api.post("/api/reports", Map.of("conversationId", cid, "seq", seq, "userId", bob.id(),
                "reason", "spam"), ann.accessToken());
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        String id = filed.json().get("id").asText();

        // what the reporter does not see is as unknown as what does not exist
        Response outsider = api.post("/api/reports", Map.of("conversationId", cid, "reason", "spam"), eve.accessToken());
        assertThat(outsider.status()).isEqualTo(404);
        assertThat(api.post("/api/reports", Map.of("conversationId", cid, "seq", seq + 50, "reason", "x"),
                ann.accessToken()).json().get("type").asText()).isEqualTo(TYPES + "message-not-found");
        Response blank = api.post("/api/reports", Map.of("conversationId", cid, "reason", " "), ann.accessToken());
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().get("type").asText()).isEqualTo(TYPES + "invalid-report");
        assertThat(api.post("/api/reports", Map.of("conversationId", cid, "userId", "nobody", "reason", "x"),
                ann.accessToken()).json().get("type").asText()).isEqualTo(TYPES + "invalid-account-id");

        JsonNode report = find(await(() -> api.get("/api/admin/reports?status=OPEN", admin.accessToken()),
                r -> find(r.json(), id) != null).json(), id);
        assertThat(report).isNotNull();
        assertThat(report.get("reporterId").asText()).isEqualTo(ann.id());
        assertThat(report.get("conversationId").asText()).isEqualTo(cid);
        assertThat(report.get("seq").asLong()).isEqualTo(seq);
        assertThat(report.get("userId").asText()).isEqualTo(bob.id());
        assertThat(report.get("reason").asText()).isEqualTo("spam");
        assertThat(report.get("status").asText()).isEqualTo("OPEN");
        assertThat(api.get("/api/admin/reports", ann.accessToken()).status()).isEqualTo(403);

        assertThat(api.post("/api/admin/reports/" + id + "/resolve", Map.of("note", "warned"), admin.accessToken())
                .status()).isEqualTo(204);
        Response again = api.post("/api/admin/reports/" + id + "/resolve", Map.of("note", "x"), admin.accessToken());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).isEqualTo(TYPES + "report-resolved");
        assertThat(api.post("/api/admin/reports/" + UUID.randomUUID() + "/resolve", Map.of(), admin.accessToken())
                .status()).isEqualTo(404);
        JsonNode resolved = find(await(() -> api.get("/api/admin/reports?status=RESOLVED", admin.accessToken()),
                r -> find(r.json(), id) != null).json(), id);
        assertThat(resolved.get("status").asText()).isEqualTo("RESOLVED");
        assertThat(resolved.get("resolvedAt").asText()).isNotBlank();
        assertThat(find(api.get("/api/admin/reports?status=OPEN", admin.accessToken()).json(), id)).isNull();
    }

    @Test
    void aSuspensionEndsEverySessionAndRefusesSignInUntilReinstated() {
        User bob = api.signUp("susbob");
        User admin = api.admin();
        try (StompTestClient live = StompTestClient.connect(port, bob.accessToken())) {
            assertThat(api.post("/api/admin/accounts/" + bob.id() + "/suspend", Map.of("reason", "spam"),
                    admin.accessToken()).status()).isEqualTo(204);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (live.isConnected() && System.nanoTime() < deadline) {
                sleep(50);
            }
            assertThat(live.isConnected()).as("the live session is closed").isFalse();
        }
        Response signIn = api.post("/api/auth/token", Map.of("handle", bob.handle(), "password",
                io.parley.gateway.support.Api.PASSWORD), null);
        assertThat(signIn.status()).isEqualTo(403);
        assertThat(signIn.json().get("type").asText()).isEqualTo(TYPES + "account-suspended");
        Response refresh = api.post("/api/auth/refresh", Map.of("refreshToken", bob.refreshToken()), null);
        assertThat(refresh.status()).isEqualTo(403);
        assertThat(refresh.json().get("type").asText()).isEqualTo(TYPES + "account-suspended");
        assertThat(await(() -> api.get("/api/me", bob.accessToken()), r -> r.status() == 401).status())
                .as("the access token already issued stops working").isEqualTo(401);
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + bob.accessToken());
        try {
            assertThat(StompTestClient.connectRefused(port, connect)).isNotNull();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(api.post("/api/admin/accounts/" + admin.id() + "/suspend", Map.of("reason", "x"),
                admin.accessToken()).json().get("type").asText()).isEqualTo(TYPES + "cannot-suspend-self");
        assertThat(api.post("/api/admin/accounts/" + bob.id() + "/suspend", Map.of("reason", "x"), bob.accessToken())
                .status()).isEqualTo(401);

        assertThat(api.post("/api/admin/accounts/" + bob.id() + "/reinstate", null, admin.accessToken()).status())
                .isEqualTo(204);
        Response back = api.post("/api/auth/token", Map.of("handle", bob.handle(), "password",
                io.parley.gateway.support.Api.PASSWORD), null);
        assertThat(back.status()).isEqualTo(200);
        String token = back.json().get("accessToken").asText();
        assertThat(await(() -> api.get("/api/me", token), r -> r.status() == 200).status()).isEqualTo(200);
        // the refresh token from before stays ended: the suspension signed its session out
        assertThat(api.post("/api/auth/refresh", Map.of("refreshToken", bob.refreshToken()), null).json()
                .get("type").asText()).isEqualTo(TYPES + "refresh-token-revoked");
    }

    @Test
    void groupAdminsAndPlatformAdminsDeleteAnyGroupMessageAndAdminsRemoveMembers() {
        User ann = api.signUp("mdann");
        User bob = api.signUp("mdbob");
        User cal = api.signUp("mdcal");
        User admin = api.admin();
        String cid = group(ann, bob, cal);
        long bobs = send(bob, cid, "offensive");
        long cals = send(cal, cid, "also offensive");

        assertThat(api.delete("/api/conversations/" + cid + "/messages/" + cals, bob.accessToken()).status())
                .as("a plain member deletes only their own").isEqualTo(403);
        assertThat(api.delete("/api/conversations/" + cid + "/messages/" + bobs, ann.accessToken()).status())
                .as("the group admin moderates").isEqualTo(204);
        assertThat(api.delete("/api/admin/conversations/" + cid + "/messages/" + cals, admin.accessToken()).status())
                .as("a platform ADMIN moderates without being a member").isEqualTo(204);
        assertThat(api.delete("/api/admin/conversations/" + cid + "/messages/" + cals, bob.accessToken()).status())
                .isEqualTo(403);
        Response history = await(() -> api.get("/api/conversations/" + cid + "/messages", cal.accessToken()),
                r -> r.body().split("\"deleted\":true", -1).length == 3);
        for (JsonNode m : history.json().get("messages")) {
            if (m.get("kind").asText().equals("MESSAGE")) {
                assertThat(m.get("deleted").asBoolean()).isTrue();
                assertThat(m.has("text")).isFalse();
            }
        }

        assertThat(api.delete("/api/admin/conversations/" + cid + "/members/" + cal.id(), admin.accessToken())
                .status()).isEqualTo(204);
        Response members = await(() -> api.get("/api/conversations/" + cid + "/members", ann.accessToken()),
                r -> !r.body().contains(cal.id()));
        assertThat(members.json().findValuesAsText("userId")).containsExactly(ann.id(), bob.id());
        assertThat(api.delete("/api/admin/conversations/" + cid + "/members/" + cal.id(), admin.accessToken())
                .status()).isEqualTo(404);
        String direct = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()), ann.accessToken())
                .json().get("id").asText();
        assertThat(api.delete("/api/admin/conversations/" + direct + "/members/" + bob.id(), admin.accessToken())
                .json().get("type").asText()).isEqualTo(TYPES + "not-a-group");
        assertThat(api.delete("/api/admin/conversations/" + UUID.randomUUID() + "/messages/1", admin.accessToken())
                .status()).isEqualTo(404);
        assertThat(List.of(ann.id(), bob.id())).doesNotContain(cal.id());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
