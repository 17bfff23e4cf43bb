package io.parley.command.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.api.privacy.DataKeys;
import io.parley.api.privacy.PersonalDataException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * The data keys in PostgreSQL ({@code account_keys}): one random AES-256 key per account, stored wrapped
 * (AES-256-GCM under the master key, the account id as associated data, so a wrapped key copied to another row
 * fails). Destroying a key sets its column to NULL and records when; the row stays, so a deleted account is told
 * from one that never wrote anything. Unwrapped keys are cached per node (Caffeine); an account without a key yet
 * is never cached, so a key another node just created is found on the next read.
 */
final class JdbcDataKeys implements DataKeys {
    private static final int NONCE_BYTES = 12;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final SecretKey master;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** account id -> its key, or empty once destroyed; absent: not loaded (or no key yet) */
    private final Cache<String, Optional<SecretKey>> cache;

    JdbcDataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactions, SecretKey master,
                 PrivacyProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.master = master;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        // a key is created in a transaction of its own: a command that rolls back must not take with it a key that
        // this node already cached and another event of the same account may already use
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.cache = Caffeine.newBuilder().maximumSize(properties.keyCacheSize())
                .expireAfterWrite(properties.keyCacheTtl()).build();
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS account_keys (
                    account_id   VARCHAR(64) PRIMARY KEY,
                    wrapped_key  BYTEA,
                    created_at   TIMESTAMPTZ NOT NULL,
                    destroyed_at TIMESTAMPTZ
                )""");
    }

    @Override
    public Optional<SecretKey> forReading(String accountId) {
        Optional<SecretKey> cached = cache.getIfPresent(accountId);
        if (cached != null) {
            return cached;
        }
        Optional<SecretKey> loaded = load(accountId);
        if (loaded == null) {
            return Optional.empty();
        }
        cache.put(accountId, loaded);
        return loaded;
    }

    @Override
    public Optional<SecretKey> forWriting(String accountId) {
        Optional<SecretKey> known = forReading(accountId);
        if (known.isPresent() || cache.getIfPresent(accountId) != null) {
            return known;
        }
        byte[] key = new byte[32];
        random.nextBytes(key);
        ownTransaction.executeWithoutResult(status -> jdbc.update("""
                INSERT INTO account_keys (account_id, wrapped_key, created_at) VALUES (?, ?, ?)
                ON CONFLICT (account_id) DO NOTHING""", accountId, wrap(accountId, key), Timestamp.from(clock.instant())));
        // whoever inserted first wins: read back the key that is stored
        Optional<SecretKey> stored = load(accountId);
        if (stored == null) {
            throw new PersonalDataException("the data key of account " + accountId + " could not be stored");
        }
        cache.put(accountId, stored);
        return stored;
    }

    @Override
    public void destroy(String accountId) {
        jdbc.update("""
                INSERT INTO account_keys (account_id, wrapped_key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
                ON CONFLICT (account_id) DO UPDATE
                SET wrapped_key = NULL, destroyed_at = COALESCE(account_keys.destroyed_at, EXCLUDED.destroyed_at)""",
                accountId, Timestamp.from(clock.instant()), Timestamp.from(clock.instant()));
        cache.invalidate(accountId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // another thread may cache the key until this commits: settle the entry once the outcome is known
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        cache.put(accountId, Optional.empty());
                    } else {
                        cache.invalidate(accountId);
                    }
                }
            });
        } else {
            cache.put(accountId, Optional.empty());
        }
    }

    @Override
    public void evict(String accountId) {
        cache.invalidate(accountId);
    }

    /** The accounts whose key was destroyed: deleted accounts. */
    Set<String> destroyed() {
        return new LinkedHashSet<>(jdbc.queryForList(
                "SELECT account_id FROM account_keys WHERE destroyed_at IS NOT NULL", String.class));
    }

    /** The stored key, empty when destroyed, null when the account has none. */
    private Optional<SecretKey> load(String accountId) {
        List<byte[]> rows = jdbc.query("SELECT wrapped_key FROM account_keys WHERE account_id = ?",
                (rs, i) -> {
                    byte[] wrapped = rs.getBytes(1);
                    return wrapped == null ? new byte[0] : wrapped;
                }, accountId);
        if (rows.isEmpty()) {
            return null;
        }
        byte[] wrapped = rows.get(0);
        return wrapped.length == 0 ? Optional.empty() : Optional.of(unwrap(accountId, wrapped));
    }

    private byte[] wrap(String accountId, byte[] key) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, master, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(accountId));
            byte[] sealed = cipher.doFinal(key);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new PersonalDataException("cannot wrap the data key of account " + accountId, e);
        }
    }

    private SecretKey unwrap(String accountId, byte[] wrapped) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(128, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(aad(accountId));
            return new SecretKeySpec(cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES), "AES");
        } catch (GeneralSecurityException e) {
            throw new PersonalDataException("the data key of account " + accountId
                    + " cannot be unwrapped: another master key, or an altered row", e);
        }
    }

    private static byte[] aad(String accountId) {
        return ("account-key:" + accountId).getBytes(StandardCharsets.UTF_8);
    }
}
