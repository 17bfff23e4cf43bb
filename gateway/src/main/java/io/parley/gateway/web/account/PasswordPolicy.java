package io.parley.gateway.web.account;

import io.parley.api.common.CommandRejected;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * NIST SP 800-63B-style rules: length matters, composition rules don't. At least 10 characters, at most
 * 72 bytes (BCrypt ignores the rest), not built around the handle, not one of the passwords every attacker
 * tries first, and not one character repeated.
 */
public final class PasswordPolicy {

    static final int MIN_LENGTH = 10;
    static final int MAX_BYTES = 72;
    private static final Set<String> COMMON = Set.of(
            "password123", "1234567890", "qwertyuiop", "password1!", "iloveyou12", "letmein123",
            "administrator", "welcome123", "passw0rd123", "0123456789", "1q2w3e4r5t", "qwerty1234",
            "abcdefghij", "football12", "princess12", "sunshine12", "trustno1!!");

    private PasswordPolicy() {
    }

    public static void check(String handle, String password) {
        if (password.length() < MIN_LENGTH) {
            throw weak("A password has at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw weak("A password has at most " + MAX_BYTES + " bytes");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower)) {
            throw weak("This password is among the most common ones; choose another");
        }
        if (lower.contains(handle)) {
            throw weak("A password must not contain the handle");
        }
        if (password.chars().distinct().count() < 4) {
            throw weak("A password needs at least 4 different characters");
        }
    }

    private static CommandRejected weak(String detail) {
        return CommandRejected.invalid("weak-password", detail);
    }
}
