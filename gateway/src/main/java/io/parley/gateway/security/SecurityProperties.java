package io.parley.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param accessTokenTtl  lifetime of an access token (short: a stolen one is soon useless)
 * @param refreshTokenTtl lifetime of a refresh token
 * @param jwtSecret       base64 HMAC key shared by all nodes; when empty the key is generated once and kept
 *                        in {@code <chat.data-dir>/keys/jwt-hs256.key}
 * @param adminHandle     the first ADMIN, created at start-up when missing
 * @param adminPassword   its password; no admin is created when empty
 */
@ConfigurationProperties("chat.security")
public record SecurityProperties(Duration accessTokenTtl, Duration refreshTokenTtl, String jwtSecret,
                                 String adminHandle, String adminPassword) {

    public SecurityProperties {
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(15) : accessTokenTtl;
        refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(30) : refreshTokenTtl;
        adminHandle = adminHandle == null || adminHandle.isBlank() ? "admin" : adminHandle;
    }
}
