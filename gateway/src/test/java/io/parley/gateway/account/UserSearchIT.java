package io.parley.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The people finder, {@code GET /api/users?query=} (README, Accounts): by the start of a handle or of a word of
 * a display name, any case, ordered by handle; never the caller, an account that blocked the caller, or a
 * suspended one; bad queries are problems.
 */
class UserSearchIT extends IntegrationTest {
    private static final String TYPES = "https://parley.io/problems/";

    private User account(String handle, String displayName) {
        Response created = api.post("/api/accounts", Map.of("handle", handle, "displayName", displayName,
                "password", Api.PASSWORD), null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return api.signIn(created.json().get("id").asText(), handle, displayName, Api.PASSWORD);
    }

    private List<String> handles(Response found) {
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        List<String> handles = new ArrayList<>();
        for (JsonNode user : found.json()) {
            assertThat(user.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "handle", "displayName");
            handles.add(user.get("handle").asText());
        }
        return handles;
    }

    /** The accounts read model follows the event store by a moment: ask until the answer is the expected one. */
    private List<String> awaitHandles(String query, User caller, List<String> expected) throws InterruptedException {
        List<String> found = List.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            found = handles(api.get("/api/users?query=" + query, caller.accessToken()));
            if (found.equals(expected)) {
                break;
            }
            Thread.sleep(50);
        }
        return found;
    }

    @Test
    void findsByHandleOrDisplayNameWordPrefixAndHidesTheCallerBlockersAndSuspended() throws Exception {
        String tag = "uq" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String word = "W" + tag.substring(2);   // a display-name word no handle starts with
        User me = account(tag + "me", "Finder Me");
        User andy = account(tag + "andy", "Andy Smith");
        User five = account(tag + "five", "Five");
        User carla = account("zz" + tag, "Carla " + word);
        User blocker = account(tag + "blk", "Blocker");
        User suspended = account(tag + "sus", "Suspended");
        account("mid" + tag, "Not" + word);   // the word inside another word is no match

        User admin = api.admin();
        assertThat(api.post("/api/admin/accounts/" + suspended.id() + "/suspend", Map.of("reason", "spam"),
                admin.accessToken()).status()).isEqualTo(204);
        assertThat(api.post("/api/me/blocked/" + me.id(), null, blocker.accessToken()).status()).isEqualTo(204);
        // whom I blocked stays findable: I may want to unblock them
        assertThat(api.post("/api/me/blocked/" + five.id(), null, me.accessToken()).status()).isEqualTo(204);

        assertThat(awaitHandles(tag, me, List.of(andy.handle(), five.handle()))).as("by handle, in handle order")
                .containsExactly(andy.handle(), five.handle());
        assertThat(awaitHandles(word.toLowerCase(), me, List.of(carla.handle()))).as("by a display-name word")
                .containsExactly(carla.handle());
        assertThat(handles(api.get("/api/users?query=%40" + tag.toUpperCase() + "AN", me.accessToken())))
                .as("any case, a leading @ ignored").containsExactly(andy.handle());
        assertThat(handles(api.get("/api/users?query=" + tag + "b", me.accessToken()))).as("a blocker is not listed")
                .isEmpty();
        assertThat(handles(api.get("/api/users?query=" + tag + "b", andy.accessToken()))).as("to others it is")
                .containsExactly(blocker.handle());
        assertThat(handles(api.get("/api/users?query=" + tag + "s", andy.accessToken()))).as("a suspended account never")
                .isEmpty();
        assertThat(handles(api.get("/api/users?query=" + tag + "m", andy.accessToken()))).containsExactly(me.handle());
        assertThat(handles(api.get("/api/users?query=.*", me.accessToken()))).as("the query is text, not a pattern")
                .isEmpty();

        for (String bad : List.of("", "%20%20", "%40", "x".repeat(65))) {
            Response refused = api.get("/api/users?query=" + bad, me.accessToken());
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.json().get("type").asText()).isEqualTo(TYPES + "invalid-parameter");
        }
        Response missing = api.get("/api/users", me.accessToken());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.isProblem()).isTrue();
        assertThat(api.get("/api/users?query=" + tag, null).status()).isEqualTo(401);
    }
}
