package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.security.TokenService;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A STOMP session ends with its access token, unless the client renews the token on the session. */
class TokenExpiryIT extends IntegrationTest {

    @Autowired
    JwtEncoder encoder;

    /** An access token like the platform's own, expiring in {@code ttl}. */
    private String shortLived(User user, Duration ttl) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(TokenService.ISSUER).subject(user.id())
                .issuedAt(now).expiresAt(now.plus(ttl)).id(UUID.randomUUID().toString())
                .claim(TokenService.TOKEN_USE, "access").claim(TokenService.HANDLE, user.handle())
                .claim(TokenService.ROLES, List.of("USER")).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    private static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aSessionIsClosedWhenItsTokenExpires() throws Exception {
        User ann = api.signUp("tex");
        StompTestClient client = StompTestClient.connect(port, shortLived(ann, Duration.ofSeconds(3)));
        assertThat(client.isConnected()).isTrue();
        assertThat(within(Duration.ofSeconds(15), () -> !client.isConnected()))
                .as("closed after the token's expiry").isTrue();
    }

    @Test
    void aRenewedTokenKeepsTheSessionAndAnotherAccountsTokenIsRefused() throws Exception {
        User ann = api.signUp("tey");
        User ben = api.signUp("tez");
        String cid = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", ben.id()), ann.accessToken())
                .json().get("id").asText();
        try (StompTestClient client = StompTestClient.connect(port, shortLived(ann, Duration.ofSeconds(3)))) {
            client.send("/app/session.token", Map.of("accessToken", ben.accessToken()));
            JsonNode refused = client.next("errors", Duration.ofSeconds(10));
            assertThat(refused).isNotNull();
            assertThat(refused.get("type").asText()).endsWith("token-refused");

            client.send("/app/session.token", Map.of("accessToken", ann.accessToken()));
            Thread.sleep(5_000);
            assertThat(client.isConnected()).as("renewed: still open past the first token's expiry").isTrue();
            client.send("/app/messages.send", Map.of("conversationId", cid, "clientMessageId",
                    UUID.randomUUID().toString(), "text", "still here"));
            JsonNode ack = client.next("acks", Duration.ofSeconds(10));
            assertThat(ack).isNotNull();
            assertThat(ack.get("seq").asLong()).isPositive();
        }
    }
}
