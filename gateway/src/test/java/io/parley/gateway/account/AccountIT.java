package io.parley.gateway.account;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class AccountIT extends IntegrationTest {

    @Autowired
    JwtEncoder encoder;

    @Autowired
    ElasticsearchClient elasticsearch;

    @Test
    void signUpSignInAndMe() {
        String handle = Api.uniqueHandle("alice");
        Response created = api.post("/api/accounts",
                Map.of("handle", handle, "displayName", "Alice", "password", Api.PASSWORD), null);
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("handle").asText()).isEqualTo(handle);
        assertThat(body.get("displayName").asText()).isEqualTo("Alice");
        String id = body.get("id").asText();

        Response token = api.post("/api/auth/token", Map.of("handle", handle, "password", Api.PASSWORD), null);
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(token.json().get("expiresIn").asLong()).isEqualTo(900);

        Response me = api.get("/api/me", token.json().get("accessToken").asText());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").asText()).isEqualTo(id);
        assertThat(me.json().get("handle").asText()).isEqualTo(handle);
        assertThat(me.json().get("roles").toString()).isEqualTo("[\"USER\"]");

        Response refreshed = api.post("/api/auth/refresh",
                Map.of("refreshToken", token.json().get("refreshToken").asText()), null);
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(api.get("/api/me", refreshed.json().get("accessToken").asText()).status()).isEqualTo(200);
        // a refresh token is not an access token
        assertThat(api.get("/api/me", token.json().get("refreshToken").asText()).status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordAndUnknownHandleAreTheSame401() {
        User user = api.signUp("bob");
        Response wrong = api.post("/api/auth/token", Map.of("handle", user.handle(), "password", "not the password"), null);
        Response unknown = api.post("/api/auth/token", Map.of("handle", "nobody-" + user.handle(), "password", "whatever1234"), null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.isProblem()).isTrue();
        assertThat(wrong.json().get("type").asText()).isEqualTo(unknown.json().get("type").asText());
    }

    @Test
    void weakPasswordAndBadHandleAreRejectedWithProblems() {
        Response weak = api.post("/api/accounts", Map.of("handle", Api.uniqueHandle("weak"), "displayName", "W",
                "password", "short"), null);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().get("type").asText()).isEqualTo("https://parley.io/problems/weak-password");
        Response handle = api.post("/api/accounts", Map.of("handle", "Not A Handle!", "displayName", "W",
                "password", Api.PASSWORD), null);
        assertThat(handle.status()).isEqualTo(400);
        assertThat(handle.json().get("type").asText()).isEqualTo("https://parley.io/problems/invalid-handle");
    }

    @Test
    void requestsWithoutValidTokenGet401() {
        User user = api.signUp("carol");
        assertThat(api.get("/api/me", null).status()).isEqualTo(401);
        assertThat(api.get("/api/me", null).isProblem()).isTrue();

        String expired = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                JwtClaimsSet.builder().issuer("parley").subject(user.id()).claim("token_use", "access")
                        .claim("roles", List.of("USER"))
                        .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(60)).build()))
                .getTokenValue();
        Response expiredAnswer = api.get("/api/me", expired);
        assertThat(expiredAnswer.status()).isEqualTo(401);
        assertThat(expiredAnswer.isProblem()).isTrue();

        String[] parts = user.accessToken().split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"USER\"", "\"ADMIN\"").getBytes());
        String tampered = parts[0] + "." + forgedPayload + "." + parts[2];
        assertThat(api.get("/api/me", tampered).status()).isEqualTo(401);
        assertThat(api.get("/api/me", user.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void everyErrorIsProblemJson() {
        User user = api.signUp("dave");
        Response malformed = api.send("POST", "/api/accounts", "{\"handle\": \"x\", ", "application/json", null);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.isProblem()).isTrue();
        assertThat(malformed.json().get("type").asText()).isEqualTo("https://parley.io/problems/malformed-body");

        Response missing = api.post("/api/accounts", Map.of("handle", Api.uniqueHandle("eve"), "password", Api.PASSWORD), null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.isProblem()).isTrue();
        assertThat(missing.json().get("type").asText()).isEqualTo("https://parley.io/problems/validation-failed");
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("displayName");

        Response unknownRoute = api.get("/api/no-such-thing", user.accessToken());
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.isProblem()).isTrue();

        Response wrongMethod = api.send("DELETE", "/api/auth/token", null, user.accessToken());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.isProblem()).isTrue();

        Response wrongType = api.send("POST", "/api/accounts", "handle=x", "text/plain", null);
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.isProblem()).isTrue();

        Response oversize = api.send("POST", "/api/accounts", "{\"handle\":\"" + "x".repeat(2_000_000) + "\"}",
                "application/json", null);
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(oversize.isProblem()).isTrue();

        for (Response r : List.of(malformed, missing, unknownRoute, wrongMethod, wrongType, oversize)) {
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void concurrentSignUpsWithOneHandleYieldExactlyOneAccount() throws Exception {
        String handle = Api.uniqueHandle("race");
        int attempts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            int n = i;
            answers.add(pool.submit(() -> {
                start.await();
                return api.post("/api/accounts", Map.of("handle", handle, "displayName", "Racer " + n,
                        "password", Api.PASSWORD), null);
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            statuses.add(answer.get().status());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(attempts - 1);
    }

    @Test
    void adminCanGrantRolesAndOthersCannot() {
        User admin = api.admin();
        User user = api.signUp("frank");
        assertThat(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of("ANALYST")),
                user.accessToken()).status()).isEqualTo(403);
        assertThat(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of("ANALYST")),
                admin.accessToken()).status()).isEqualTo(204);
        User again = api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
        assertThat(api.get("/api/me", again.accessToken()).json().get("roles").toString()).contains("ANALYST");
    }

    @Test
    void healthShowsEveryPartUp() {
        Response health = api.get("/actuator/health", api.admin().accessToken());
        assertThat(health.status()).isEqualTo(200);
        JsonNode components = health.json().get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("mongo").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("elasticsearch").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void theSearchNodeIsARealElasticsearch() throws Exception {
        String index = "probe-" + System.nanoTime();
        elasticsearch.indices().create(c -> c.index(index).settings(s -> s.numberOfReplicas("0")));
        elasticsearch.index(i -> i.index(index).id("1").document(Map.of("text", "the quick brown fox jumps"))
                .refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
        SearchResponse<Map> found = elasticsearch.search(s -> s.index(index)
                .query(q -> q.match(m -> m.field("text").query("brown foxes jumping"))), Map.class);
        assertThat(found.hits().hits()).hasSize(1);
        SearchResponse<Map> notFound = elasticsearch.search(s -> s.index(index)
                .query(q -> q.match(m -> m.field("text").query("lazy dog"))), Map.class);
        assertThat(notFound.hits().hits()).isEmpty();
        elasticsearch.indices().delete(d -> d.index(index));
    }

    @Test
    void apiDocsArePublished() {
        Response docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/accounts").contains("/api/auth/token");
    }

    @Test
    void profileById() {
        User alice = api.signUp("alice");
        User bob = api.signUp("bob");
        Response profile = api.get("/api/users/" + alice.id(), bob.accessToken());
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.json().get("id").asText()).isEqualTo(alice.id());
        assertThat(profile.json().get("handle").asText()).isEqualTo(alice.handle());
        assertThat(profile.json().get("displayName").asText()).isEqualTo(alice.displayName());
        assertThat(profile.json().size()).as("only the public profile: no roles, no privacy").isEqualTo(3);

        Response unknown = api.get("/api/users/" + java.util.UUID.randomUUID(), bob.accessToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).endsWith("/user-not-found");
        Response malformed = api.get("/api/users/not-a-uuid", bob.accessToken());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.isProblem()).isTrue();
        assertThat(api.get("/api/users/" + alice.id(), null).status()).isEqualTo(401);
    }
}
