package io.parley.gateway.security;

import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.SignOutReason;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.EventMessage;
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

/**
 * One-time refresh tokens (rotation with reuse detection), sign-out of one device and of all of them, against
 * the running platform: the session state lives in PostgreSQL, each ending is a {@code SignedOut} event.
 */
class RefreshTokenIT extends IntegrationTest {

    @Autowired
    EventStore events;

    @Autowired
    JwtEncoder encoder;

    private Response refresh(String refreshToken) {
        return api.post("/api/auth/refresh", Map.of("refreshToken", refreshToken), null);
    }

    private static void assertRefused(Response answer, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.json().get("type").asText()).isEqualTo("https://parley.io/problems/" + type);
    }

    private User signInAgain(User user) {
        return api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
    }

    private List<SignedOut> signOuts(String accountId) {
        return events.readEvents(accountId).asStream().map(EventMessage::getPayload)
                .filter(SignedOut.class::isInstance).map(SignedOut.class::cast).toList();
    }

    @Test
    void refreshRotatesAndTheOldTokenIsRefused() {
        User user = api.signUp("rotate");
        Response first = refresh(user.refreshToken());
        assertThat(first.status()).isEqualTo(200);
        String second = first.json().get("refreshToken").asText();
        assertThat(second).isNotEqualTo(user.refreshToken());
        assertThat(api.get("/api/me", first.json().get("accessToken").asText()).status()).isEqualTo(200);

        Response third = refresh(second);
        assertThat(third.status()).isEqualTo(200);
        // the first token was exchanged already: presenting it again is reuse
        assertRefused(refresh(user.refreshToken()), "refresh-token-reused");
    }

    @Test
    void reuseEndsTheWholeSessionAndIsRecorded() {
        User user = api.signUp("reuse");
        User otherDevice = signInAgain(user);
        String newer = refresh(user.refreshToken()).json().get("refreshToken").asText();

        // an attacker replays the stolen first token: refused, and the session it belongs to ends
        assertRefused(refresh(user.refreshToken()), "refresh-token-reused");
        // so the owner's newer token is refused too, as is any later replay
        assertRefused(refresh(newer), "refresh-token-revoked");
        assertRefused(refresh(user.refreshToken()), "refresh-token-revoked");
        // another device's session is not touched
        assertThat(refresh(otherDevice.refreshToken()).status()).isEqualTo(200);
        // access tokens stay stateless: one already issued works until it expires (15 minutes)
        assertThat(api.get("/api/me", user.accessToken()).status()).isEqualTo(200);

        assertThat(signOuts(user.id())).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(SignOutReason.REFRESH_TOKEN_REUSED);
            assertThat(e.sessionId()).isNotNull();
            assertThat(e.sessions()).isEqualTo(1);
        });
    }

    @Test
    void twoConcurrentExchangesOfOneTokenCannotBothSucceed() throws Exception {
        User user = api.signUp("race");
        int n = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return refresh(user.refreshToken());
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> f : answers) {
                statuses.add(f.get().status());
            }
            assertThat(statuses).containsOnly(200, 401);
            assertThat(statuses).filteredOn(s -> s == 200).hasSizeLessThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signOutEndsThisDevicesSessionOnly() {
        User phone = api.signUp("signout");
        User laptop = signInAgain(phone);
        Response out = api.post("/api/auth/sign-out", Map.of("refreshToken", phone.refreshToken()), null);
        assertThat(out.status()).isEqualTo(204);

        assertRefused(refresh(phone.refreshToken()), "refresh-token-revoked");
        assertThat(refresh(laptop.refreshToken()).status()).isEqualTo(200);
        // signing out again is no error and records nothing more
        assertThat(api.post("/api/auth/sign-out", Map.of("refreshToken", phone.refreshToken()), null).status())
                .isEqualTo(204);
        assertThat(signOuts(phone.id())).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(SignOutReason.SIGN_OUT));
    }

    @Test
    void signOutOfAllDevicesEndsEverySession() {
        User first = api.signUp("everywhere");
        User second = signInAgain(first);
        User third = signInAgain(first);
        String rotated = refresh(third.refreshToken()).json().get("refreshToken").asText();
        User stranger = api.signUp("bystander");

        assertThat(api.post("/api/auth/sign-out-all", Map.of(), null).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/sign-out-all", Map.of(), second.accessToken()).status()).isEqualTo(204);

        assertRefused(refresh(first.refreshToken()), "refresh-token-revoked");
        assertRefused(refresh(second.refreshToken()), "refresh-token-revoked");
        assertRefused(refresh(rotated), "refresh-token-revoked");
        assertThat(refresh(stranger.refreshToken()).status()).isEqualTo(200);
        // a new sign-in starts afresh
        assertThat(refresh(signInAgain(first).refreshToken()).status()).isEqualTo(200);

        assertThat(signOuts(first.id())).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(SignOutReason.SIGN_OUT_EVERYWHERE);
            assertThat(e.sessionId()).isNull();
            assertThat(e.sessions()).isEqualTo(3);
        });
    }

    @Test
    void forgedOrSessionlessTokensAreInvalid() {
        User user = api.signUp("forged");
        assertRefused(refresh("not-a-token"), "invalid-refresh-token");
        assertRefused(refresh(user.accessToken()), "invalid-refresh-token");
        assertRefused(api.post("/api/auth/sign-out", Map.of("refreshToken", user.accessToken()), null),
                "invalid-refresh-token");
        // signed with the right key but minted before sessions existed (no sid)
        Instant now = Instant.now();
        String sessionless = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                JwtClaimsSet.builder().issuer(TokenService.ISSUER).subject(user.id()).issuedAt(now)
                        .expiresAt(now.plusSeconds(3600)).id("old").claim(TokenService.TOKEN_USE, "refresh").build()))
                .getTokenValue();
        assertRefused(refresh(sessionless), "invalid-refresh-token");
        assertThat(api.post("/api/auth/sign-out", Map.of(), null).status()).isEqualTo(400);
    }
}
