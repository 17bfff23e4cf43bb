package io.parley.gateway.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC-SHA256 key that signs and verifies tokens. Kept in the data directory so tokens survive a restart;
 * in a cluster every node gets the same key from configuration.
 */
final class JwtKey {

    private static final Logger log = LoggerFactory.getLogger(JwtKey.class);

    private JwtKey() {
    }

    static SecretKey load(String configuredSecret, Path dataDir) {
        if (configuredSecret != null && !configuredSecret.isBlank()) {
            return toKey(Base64.getDecoder().decode(configuredSecret.strip()));
        }
        Path file = dataDir.resolve("keys").resolve("jwt-hs256.key");
        try {
            if (Files.exists(file)) {
                return toKey(Base64.getDecoder().decode(Files.readString(file).strip()));
            }
            Files.createDirectories(file.getParent());
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Path tmp = Files.createTempFile(file.getParent(), "jwt", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(secret), StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("Generated a new token signing key in {}", file);
            return toKey(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token signing key " + file, e);
        }
    }

    private static SecretKey toKey(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalStateException("chat.security.jwt-secret must hold at least 32 bytes (base64)");
        }
        return new SecretKeySpec(secret, "HmacSHA256");
    }
}
