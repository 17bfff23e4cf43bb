package io.parley.command.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.command.conversation.ConversationProperties;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.Role;
import io.parley.api.common.CommandRejected;
import io.parley.api.account.AccountIds;
import io.parley.command.conversation.BlockList;
import io.parley.command.conversation.KnownAccounts;
import io.parley.command.history.EventHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link AccountDirectory} on the event store's PostgreSQL database. JdbcTemplate takes the connection bound
 * to the Spring transaction that Axon's unit of work opened, so these rows commit or roll back with the events.
 * The {@code blocks} table also answers the Conversation aggregate's {@link BlockList} port, by primary key and
 * inside the sending command's own transaction: a block is in force from the commit of its event on. The
 * {@code handles} table answers its {@link KnownAccounts} port the same way: an account exists from the commit
 * of its {@code AccountRegistered} on.
 * <p>
 * That shared transaction exists only while the events are stored in this same PostgreSQL (the JDBC engine). With
 * Axon Server as the event store ({@code distributed} profile, {@code axon.axonserver.enabled}) the event commits
 * elsewhere, so a claim is written first, in a transaction of its own that commits before the event is applied:
 * the unique constraint decides who gets a handle whatever node asks, and a command that fails afterwards (its
 * unit of work rolls back: the event was not stored) releases its claim again.
 */
@Component
class JdbcAccountDirectory implements AccountDirectory, BlockList, KnownAccounts, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(JdbcAccountDirectory.class);

    private static final RowMapper<Credentials> CREDENTIALS = (rs, i) -> new Credentials(
            rs.getString("account_id"), rs.getString("handle"), rs.getString("password_hash"),
            parseRoles(rs.getString("roles")), rs.getBoolean("suspended"));

    private final JdbcTemplate jdbc;
    private final EventHistory history;
    /** Set when the events are not stored in this database: claims commit on their own, before the event. */
    private final TransactionTemplate ownTransaction;
    /**
     * Blocker -> the accounts they block, for the two checks of every direct send (a PostgreSQL round trip each
     * before: docs/design.md, section 11); null when off. Only this node writes {@code blocks} then, so forgetting
     * an entry when a block or unblock is written, and again after its commit, keeps it exact: a send that read
     * the table before the commit saw the block not yet in force, as without the cache.
     */
    private final Cache<String, Set<String>> blockLists;

    JdbcAccountDirectory(JdbcTemplate jdbc, EventHistory history, ObjectProvider<PlatformTransactionManager> transactions,
                         @Value("${axon.axonserver.enabled:false}") boolean eventsElsewhere,
                         ConversationProperties conversations) {
        this.jdbc = jdbc;
        this.blockLists = conversations.cachedBlockLists() == 0 ? null
                : Caffeine.newBuilder().maximumSize(conversations.cachedBlockLists()).build();
        this.history = history;
        this.ownTransaction = eventsElsewhere ? requiresNew(transactions.getObject()) : null;
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS handles (
                    handle     VARCHAR(64) PRIMARY KEY,
                    account_id VARCHAR(36) NOT NULL UNIQUE
                )""");
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS credentials (
                    account_id    VARCHAR(36) PRIMARY KEY REFERENCES handles (account_id),
                    password_hash VARCHAR(255) NOT NULL,
                    roles         VARCHAR(255) NOT NULL
                )""");
        // added with suspensions; every account older than the column is not suspended
        jdbc.execute("ALTER TABLE credentials ADD COLUMN IF NOT EXISTS suspended BOOLEAN NOT NULL DEFAULT FALSE");
    }

    /**
     * Creates {@code blocks} once, before the node takes requests, and fills it in the same transaction from
     * the block events already stored (a deployment older than the table), applied in order.
     */
    @Override
    public void afterSingletonsInstantiated() {
        long applied = history.createAndFill("blocks", """
                    CREATE TABLE blocks (
                        blocker_id TEXT NOT NULL,
                        blocked_id TEXT NOT NULL,
                        PRIMARY KEY (blocker_id, blocked_id)
                    )""", Set.of(UserBlocked.class, UserUnblocked.class), event -> {
            if (event instanceof UserBlocked blocked) {
                block(blocked.accountId(), blocked.blockedId());
            } else if (event instanceof UserUnblocked unblocked) {
                unblock(unblocked.accountId(), unblocked.blockedId());
            }
        });
        if (applied >= 0) {
            log.info("Created the blocks table ({} block events from the event store)", applied);
        }
    }

    private static TransactionTemplate requiresNew(PlatformTransactionManager transactions) {
        TransactionTemplate template = new TransactionTemplate(transactions);
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return template;
    }

    @Override
    public void claim(String handle, String accountId, String passwordHash, Set<Role> roles) {
        if (ownTransaction == null) {
            insertClaim(handle, accountId, passwordHash, roles);
            return;
        }
        ownTransaction.executeWithoutResult(status -> insertClaim(handle, accountId, passwordHash, roles));
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().onRollback(unitOfWork -> release(handle, accountId));
        }
    }

    /** The compensation of a committed claim whose event was not stored. */
    void release(String handle, String accountId) {
        ownTransaction.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM credentials WHERE account_id = ?", accountId);
            jdbc.update("DELETE FROM handles WHERE handle = ? AND account_id = ?", handle, accountId);
        });
        log.info("Released the claim of handle {} (its registration was not stored)", handle);
    }

    private void insertClaim(String handle, String accountId, String passwordHash, Set<Role> roles) {
        try {
            jdbc.update("INSERT INTO handles (handle, account_id) VALUES (?, ?)", handle, accountId);
        } catch (DuplicateKeyException e) {
            throw CommandRejected.conflict("handle-taken", "The handle '" + handle + "' is already taken");
        }
        jdbc.update("INSERT INTO credentials (account_id, password_hash, roles) VALUES (?, ?, ?)",
                accountId, passwordHash, formatRoles(roles));
    }

    @Override
    public void updatePassword(String accountId, String passwordHash) {
        jdbc.update("UPDATE credentials SET password_hash = ? WHERE account_id = ?", passwordHash, accountId);
    }

    @Override
    public void updateRoles(String accountId, Set<Role> roles) {
        jdbc.update("UPDATE credentials SET roles = ? WHERE account_id = ?", formatRoles(roles), accountId);
    }

    @Override
    public void suspend(String accountId, boolean suspended) {
        jdbc.update("UPDATE credentials SET suspended = ? WHERE account_id = ?", suspended, accountId);
    }

    @Override
    public Set<String> suspended() {
        return new LinkedHashSet<>(jdbc.queryForList("SELECT account_id FROM credentials WHERE suspended", String.class));
    }

    @Override
    public void delete(String accountId) {
        jdbc.update("DELETE FROM credentials WHERE account_id = ?", accountId);
        jdbc.update("DELETE FROM handles WHERE account_id = ?", accountId);
    }

    @Override
    public void block(String blockerId, String blockedId) {
        jdbc.update("INSERT INTO blocks (blocker_id, blocked_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                blockerId, blockedId);
        forgetBlockList(blockerId);
    }

    @Override
    public void unblock(String blockerId, String blockedId) {
        jdbc.update("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", blockerId, blockedId);
        forgetBlockList(blockerId);
    }

    @Override
    public boolean blocks(String blockerId, String blockedId) {
        if (blockerId == null || blockedId == null) {
            return false;
        }
        if (blockLists == null) {
            return Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?)", Boolean.class,
                    blockerId, blockedId));
        }
        return blockLists.get(blockerId, blocker -> Set.copyOf(jdbc.queryForList(
                "SELECT blocked_id FROM blocks WHERE blocker_id = ?", String.class, blocker))).contains(blockedId);
    }

    private void forgetBlockList(String blockerId) {
        if (blockLists == null) {
            return;
        }
        blockLists.invalidate(blockerId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    blockLists.invalidate(blockerId);
                }
            });
        }
    }

    /**
     * One query by the unique index on {@code account_id}, whatever the number of ids. An id that is no
     * canonical UUID names no account and is never sent to PostgreSQL (a U+0000 would fail the query).
     */
    @Override
    public Set<String> unknown(Collection<String> accountIds) {
        Set<String> unknown = new LinkedHashSet<>(accountIds);
        List<String> wellFormed = unknown.stream().filter(AccountIds::isValid).toList();
        if (!wellFormed.isEmpty()) {
            String placeholders = String.join(", ", Collections.nCopies(wellFormed.size(), "?"));
            unknown.removeAll(jdbc.queryForList("SELECT account_id FROM handles WHERE account_id IN (" + placeholders
                    + ")", String.class, wellFormed.toArray()));
        }
        return unknown;
    }

    @Override
    public Optional<Credentials> findByHandle(String handle) {
        return jdbc.query("""
                SELECT h.account_id, h.handle, c.password_hash, c.roles, c.suspended
                FROM handles h JOIN credentials c ON c.account_id = h.account_id
                WHERE h.handle = ?""", CREDENTIALS, handle).stream().findFirst();
    }

    @Override
    public Optional<Credentials> findById(String accountId) {
        return jdbc.query("""
                SELECT h.account_id, h.handle, c.password_hash, c.roles, c.suspended
                FROM handles h JOIN credentials c ON c.account_id = h.account_id
                WHERE h.account_id = ?""", CREDENTIALS, accountId).stream().findFirst();
    }

    private static String formatRoles(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
    }

    private static Set<Role> parseRoles(String roles) {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        Arrays.stream(roles.split(",")).filter(r -> !r.isBlank()).map(Role::valueOf).forEach(parsed::add);
        return parsed;
    }
}
