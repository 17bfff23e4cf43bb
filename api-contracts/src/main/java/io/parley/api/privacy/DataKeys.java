package io.parley.api.privacy;

import javax.crypto.SecretKey;
import java.util.Optional;

/**
 * The per-account data keys that personal data in events is encrypted with (crypto-shredding). Implemented by
 * the write side on PostgreSQL; read by the event serializer on every node.
 */
public interface DataKeys {

    /**
     * The account's key, created on first use; empty once the key was destroyed (the account deleted): what
     * would have been encrypted is then stored as {@link PersonalDataCipher#ERASED}.
     */
    Optional<SecretKey> forWriting(String accountId);

    /** The account's key; empty when it was destroyed (or never existed): its ciphertext reads as erased. */
    Optional<SecretKey> forReading(String accountId);

    /**
     * Destroys the account's key for good, in the caller's transaction (the one storing {@code AccountDeleted}):
     * from its commit on, everything encrypted with it reads as {@link PersonalDataCipher#ERASED} everywhere.
     */
    void destroy(String accountId);

    /** Forgets a cached key (another node destroyed it). */
    void evict(String accountId);
}
