package io.parley.gateway.web.conversation;

import io.parley.gateway.web.Problems;
import org.springframework.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Invite link tokens: the group's id (32 hex digits, its UUID without dashes), so a join knows which group to ask,
 * then 32 random bytes (base64url), which make the token unguessable. Only the token's SHA-256 reaches the event
 * store; the token is shown once, to the admin who made it.
 */
final class InviteTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{32}[A-Za-z0-9_-]{43}");

    private InviteTokens() {
    }

    static String issue(String groupId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return groupId.replace("-", "") + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The group a token names; a token of another shape is no invite (404 {@code invite-not-found}). */
    static String groupOf(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "invite-not-found", "no such invite");
        }
        String hex = token.substring(0, 32);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
