package io.parley.gateway.security;

import io.parley.api.account.Role;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Mints access and refresh tokens. Both are JWTs signed with the same key, told apart by the {@code token_use}
 * claim: the resource server accepts only {@code access}, the refresh endpoint only {@code refresh}.
 */
@Service
public class TokenService {

    public static final String ISSUER = "parley";
    public static final String TOKEN_USE = "token_use";
    public static final String ROLES = "roles";
    public static final String HANDLE = "handle";

    private final JwtEncoder encoder;
    private final JwtDecoder refreshDecoder;
    private final SecurityProperties properties;
    private final Clock clock;

    TokenService(JwtEncoder encoder, @Qualifier("refreshTokenDecoder") JwtDecoder refreshTokenDecoder, SecurityProperties properties, Clock clock) {
        this.encoder = encoder;
        this.refreshDecoder = refreshTokenDecoder;
        this.properties = properties;
        this.clock = clock;
    }

    public TokenPair issue(String accountId, String handle, Set<Role> roles) {
        Instant now = clock.instant();
        String access = encode(JwtClaimsSet.builder()
                .issuer(ISSUER).subject(accountId).issuedAt(now).expiresAt(now.plus(properties.accessTokenTtl()))
                .id(UUID.randomUUID().toString())
                .claim(TOKEN_USE, "access").claim(HANDLE, handle)
                .claim(ROLES, roles.stream().map(Role::name).sorted().toList())
                .build());
        String refresh = encode(JwtClaimsSet.builder()
                .issuer(ISSUER).subject(accountId).issuedAt(now).expiresAt(now.plus(properties.refreshTokenTtl()))
                .id(UUID.randomUUID().toString())
                .claim(TOKEN_USE, "refresh")
                .build());
        return new TokenPair(access, refresh, "Bearer", properties.accessTokenTtl().toSeconds());
    }

    /** @return the account id the refresh token was issued to */
    public String verifyRefreshToken(String refreshToken) throws JwtException {
        Jwt jwt = refreshDecoder.decode(refreshToken);
        return jwt.getSubject();
    }

    private String encode(JwtClaimsSet claims) {
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }
}
