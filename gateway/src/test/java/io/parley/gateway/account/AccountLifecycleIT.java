package io.parley.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.account.AccountEvents.DisplayNameChanged;
import io.parley.api.account.AccountEvents.PasswordChanged;
import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.SignOutReason;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account lifecycle through REST and STOMP as a client uses it (README, Account lifecycle): the list of
 * sign-in sessions and ending one of them, logout, sign-out everywhere, a password change and a display name change;
 * each ending of a sign-in session closes the live STOMP sessions opened with it, and only those.
 */
class AccountLifecycleIT extends IntegrationTest {

    private static final String TYPES = "https://parley.io/problems/";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    EventStore events;

    /** A sign-in from a device that names itself, as a browser or app does. */
    private User signInAs(User user, String userAgent) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/token"))
                    .header("Content-Type", "application/json").header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofString(Api.write(Map.of("handle", user.handle(),
                            "password", Api.PASSWORD))))
                    .build();
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode tokens = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
            return new User(user.id(), user.handle(), user.displayName(), tokens.get("accessToken").asText(),
                    tokens.get("refreshToken").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> sessions(User user) {
        Response answer = api.get("/api/me/sessions", user.accessToken());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        answer.json().forEach(list::add);
        return list;
    }

    private static String currentId(List<JsonNode> sessions) {
        return sessions.stream().filter(s -> s.get("current").asBoolean()).findFirst().orElseThrow()
                .get("id").asText();
    }

    private static void assertProblem(Response answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.json().get("type").asText()).isEqualTo(TYPES + type);
    }

    private static void awaitClosed(StompTestClient live) {
        await(() -> !live.isConnected(), Duration.ofSeconds(10));
        assertThat(live.isConnected()).as("the live session is closed").isFalse();
    }

    private static void await(Supplier<Boolean> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private <T> List<T> eventsOf(String accountId, Class<T> type) {
        return events.readEvents(accountId).asStream().map(EventMessage::getPayload)
                .filter(type::isInstance).map(type::cast).toList();
    }

    private Response refresh(User user) {
        return api.post("/api/auth/refresh", Map.of("refreshToken", user.refreshToken()), null);
    }

    @Test
    void theSessionsListMarksTheCurrentOneAndEndingAnotherClosesOnlyItsLiveSessions() {
        User laptop = api.signUp("lcsess");
        User phone = signInAs(laptop, "ParleyPhone/2.1 (LifecycleIT)");

        List<JsonNode> listed = sessions(laptop);
        assertThat(listed).hasSize(2);
        assertThat(listed.stream().filter(s -> s.get("current").asBoolean())).hasSize(1);
        JsonNode phoneSession = listed.stream().filter(s -> !s.get("current").asBoolean()).findFirst().orElseThrow();
        assertThat(phoneSession.get("userAgent").asText()).isEqualTo("ParleyPhone/2.1 (LifecycleIT)");
        for (String field : List.of("id", "createdAt", "lastUsedAt", "expiresAt")) {
            assertThat(phoneSession.hasNonNull(field)).as(field).isTrue();
        }
        // the phone's own view: its session is the current one
        assertThat(currentId(sessions(phone))).isEqualTo(phoneSession.get("id").asText());

        try (StompTestClient onLaptop = StompTestClient.connect(port, laptop.accessToken());
             StompTestClient onPhone = StompTestClient.connect(port, phone.accessToken())) {
            assertThat(api.delete("/api/me/sessions/" + phoneSession.get("id").asText(), laptop.accessToken())
                    .status()).isEqualTo(204);
            awaitClosed(onPhone);
            assertThat(onLaptop.isConnected()).as("the laptop's session was not ended").isTrue();
        }
        assertProblem(refresh(phone), 401, "refresh-token-revoked");
        assertThat(refresh(laptop).status()).isEqualTo(200);
        assertThat(sessions(laptop)).hasSize(1);
        assertThat(eventsOf(laptop.id(), SignedOut.class)).extracting(SignedOut::sessionId, SignedOut::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(phoneSession.get("id").asText(),
                        SignOutReason.SESSION_REVOKED));

        // ended already, unknown, or someone else's: 404 alike, and nothing ends
        assertProblem(api.delete("/api/me/sessions/" + phoneSession.get("id").asText(), laptop.accessToken()),
                404, "session-not-found");
        assertProblem(api.delete("/api/me/sessions/" + UUID.randomUUID(), laptop.accessToken()), 404,
                "session-not-found");
        User mallory = api.signUp("lcmal");
        String laptopSession = currentId(sessions(laptop));
        assertProblem(api.delete("/api/me/sessions/" + laptopSession, mallory.accessToken()), 404,
                "session-not-found");
        assertThat(sessions(laptop)).extracting(s -> s.get("id").asText()).containsExactly(laptopSession);
        assertThat(sessions(mallory)).hasSize(1);
    }

    @Test
    void logoutEndsTheSessionOfItsRefreshTokenAndClosesItsLiveSessions() {
        User alice = api.signUp("lclogout");
        User tablet = signInAs(alice, "ParleyTablet/1.0");
        try (StompTestClient onTablet = StompTestClient.connect(port, tablet.accessToken());
             StompTestClient onFirst = StompTestClient.connect(port, alice.accessToken())) {
            assertThat(api.post("/api/auth/logout", Map.of("refreshToken", tablet.refreshToken()), null).status())
                    .isEqualTo(204);
            awaitClosed(onTablet);
            assertThat(onFirst.isConnected()).isTrue();
        }
        assertProblem(refresh(tablet), 401, "refresh-token-revoked");
        assertThat(sessions(alice)).hasSize(1);
        assertProblem(api.post("/api/auth/logout", Map.of("refreshToken", "not-a-token"), null), 401,
                "invalid-refresh-token");
    }

    @Test
    void signOutEverywhereClosesEveryLiveSessionOfTheAccount() {
        User alice = api.signUp("lcall");
        User phone = signInAs(alice, "ParleyPhone/2.1");
        User bob = api.signUp("lcallbob");
        try (StompTestClient one = StompTestClient.connect(port, alice.accessToken());
             StompTestClient two = StompTestClient.connect(port, phone.accessToken());
             StompTestClient bobs = StompTestClient.connect(port, bob.accessToken())) {
            assertThat(api.post("/api/auth/sign-out-all", Map.of(), alice.accessToken()).status()).isEqualTo(204);
            awaitClosed(one);
            awaitClosed(two);
            assertThat(bobs.isConnected()).isTrue();
        }
        assertThat(sessions(alice)).isEmpty();
    }

    @Test
    void aPasswordChangeChecksTheOldOneAndEndsEverySession() {
        User alice = api.signUp("lcpw");
        User phone = signInAs(alice, "ParleyPhone/2.1");
        String fresh = "a brand new passphrase 7";

        assertProblem(api.put("/api/me/password", Map.of("oldPassword", "not my password", "newPassword", fresh),
                alice.accessToken()), 403, "wrong-password");
        assertProblem(api.put("/api/me/password", Map.of("oldPassword", Api.PASSWORD, "newPassword", "short"),
                alice.accessToken()), 400, "weak-password");
        assertProblem(api.put("/api/me/password", Map.of("oldPassword", Api.PASSWORD), alice.accessToken()), 400,
                "validation-failed");
        assertThat(eventsOf(alice.id(), PasswordChanged.class)).isEmpty();
        assertThat(refresh(phone).status()).as("a refused change ends nothing").isEqualTo(200);

        try (StompTestClient live = StompTestClient.connect(port, alice.accessToken())) {
            assertThat(api.put("/api/me/password", Map.of("oldPassword", Api.PASSWORD, "newPassword", fresh),
                    alice.accessToken()).status()).isEqualTo(204);
            awaitClosed(live);
        }
        assertProblem(refresh(alice), 401, "refresh-token-revoked");
        assertThat(eventsOf(alice.id(), PasswordChanged.class)).hasSize(1);
        assertThat(eventsOf(alice.id(), SignedOut.class)).extracting(SignedOut::reason, SignedOut::sessions)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SignOutReason.PASSWORD_CHANGED, 2));
        assertProblem(api.post("/api/auth/token", Map.of("handle", alice.handle(), "password", Api.PASSWORD), null),
                401, "invalid-credentials");
        assertThat(api.post("/api/auth/token", Map.of("handle", alice.handle(), "password", fresh), null).status())
                .isEqualTo(200);
    }

    @Test
    void aNewDisplayNameIsWhatContactsSee() {
        User alice = api.signUp("lcname");
        User bob = api.signUp("lcnamebob");
        Response changed = api.put("/api/me/display-name", Map.of("displayName", "  Alice in Wonderland "),
                alice.accessToken());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("displayName").asText()).isEqualTo("Alice in Wonderland");
        assertThat(changed.json().get("handle").asText()).isEqualTo(alice.handle());

        await(() -> "Alice in Wonderland".equals(api.get("/api/users/" + alice.id(), bob.accessToken()).json()
                .path("displayName").asText()), Duration.ofSeconds(10));
        assertThat(api.get("/api/users/" + alice.id(), bob.accessToken()).json().get("displayName").asText())
                .isEqualTo("Alice in Wonderland");
        assertThat(api.get("/api/users/by-handle/" + alice.handle(), bob.accessToken()).json()
                .get("displayName").asText()).isEqualTo("Alice in Wonderland");
        assertThat(api.get("/api/me", alice.accessToken()).json().get("displayName").asText())
                .isEqualTo("Alice in Wonderland");

        assertProblem(api.put("/api/me/display-name", Map.of("displayName", "   "), alice.accessToken()), 400,
                "invalid-display-name");
        assertProblem(api.put("/api/me/display-name", Map.of("displayName", "x".repeat(65)), alice.accessToken()),
                400, "invalid-display-name");
        // the same name again records nothing
        assertThat(api.put("/api/me/display-name", Map.of("displayName", "Alice in Wonderland"),
                alice.accessToken()).status()).isEqualTo(200);
        assertThat(eventsOf(alice.id(), DisplayNameChanged.class)).extracting(DisplayNameChanged::displayName)
                .containsExactly("Alice in Wonderland");
    }
}
