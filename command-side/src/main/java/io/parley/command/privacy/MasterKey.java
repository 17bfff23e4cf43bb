package io.parley.command.privacy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Where the master key comes from: configuration, or the file the embedded default generated on first start. */
final class MasterKey {
    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    private static final int BYTES = 32;

    private MasterKey() {
    }

    static SecretKey resolve(PrivacyProperties properties, Path dataDir) {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            return decode(properties.masterKey(), "chat.privacy.master-key");
        }
        if (!properties.generateMasterKey()) {
            throw new IllegalStateException("chat.privacy.master-key is not set (env CHAT_PRIVACY_MASTER_KEY: base64 of "
                    + BYTES + " random bytes, the same on every node): personal data in events cannot be encrypted");
        }
        Path file = dataDir.resolve("privacy").resolve("master-key");
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the privacy master key " + file, e);
        }
    }

    private static void generate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException anotherStart) {
            return;
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        log.warn("Generated the privacy master key into {}: back it up with the database, without it no personal "
                + "data in the event store can be read (README, Account deletion)", file);
    }

    private static SecretKey decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64", e);
        }
        if (key.length != BYTES) {
            throw new IllegalStateException(source + " must hold " + BYTES + " bytes (AES-256), it holds " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }
}
