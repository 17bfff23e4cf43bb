package io.parley.api.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Field-level encryption of personal data: AES-256-GCM with the subject's data key, a random 96-bit nonce per
 * value and the subject's id as associated data (a ciphertext moved to another account's event fails its tag).
 * A stored value is {@code pd1:<accountId>:<base64url(nonce | ciphertext | tag)>}: it names its key, so reading
 * needs no context, and text without the prefix (events stored before encryption existed) reads as it is.
 */
public final class PersonalDataCipher {

    /** What personal data reads as once its subject's key is destroyed. */
    public static final String ERASED = "[erased]";
    static final String PREFIX = "pd1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final DataKeys keys;
    private final SecureRandom random = new SecureRandom();

    public PersonalDataCipher(DataKeys keys) {
        this.keys = keys;
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The stored form of {@code plain}, personal data of {@code subject}; {@link #ERASED} once their key is gone. */
    public String encrypt(String subject, String plain) {
        if (plain == null) {
            return null;
        }
        if (subject == null || subject.isEmpty() || subject.indexOf(':') >= 0) {
            throw new PersonalDataException("personal data needs a data subject (an account id), got " + subject);
        }
        Optional<SecretKey> key = keys.forWriting(subject);
        if (key.isEmpty()) {
            return ERASED;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(subject));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + subject + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new PersonalDataException("cannot encrypt personal data of account " + subject, e);
        }
    }

    /**
     * The plain text of a stored value: itself when not encrypted (legacy), {@link #ERASED} when the subject's key
     * is destroyed.
     *
     * @throws PersonalDataException when the value was altered (its tag fails) or is malformed; the message
     *                               names the account, never the content
     */
    public String decrypt(String stored) {
        if (!isEncrypted(stored)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new PersonalDataException("malformed personal data value (no account id)");
        }
        String subject = stored.substring(PREFIX.length(), colon);
        Optional<SecretKey> key = keys.forReading(subject);
        if (key.isEmpty()) {
            return ERASED;
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new PersonalDataException("malformed personal data value of account " + subject, e);
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PersonalDataException("truncated personal data value of account " + subject);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad(subject));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new PersonalDataException("personal data of account " + subject
                    + " fails its integrity check: the stored value was altered", e);
        } catch (GeneralSecurityException e) {
            throw new PersonalDataException("cannot decrypt personal data of account " + subject, e);
        }
    }

    private static byte[] aad(String subject) {
        return (PREFIX + subject).getBytes(StandardCharsets.UTF_8);
    }
}
