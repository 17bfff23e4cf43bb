package io.parley.command.account;

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
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

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
 */
@Component
class JdbcAccountDirectory implements AccountDirectory, BlockList, KnownAccounts, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(JdbcAccountDirectory.class);

    private static final RowMapper<Credentials> CREDENTIALS = (rs, i) -> new Credentials(
            rs.getString("account_id"), rs.getString("handle"), rs.getString("password_hash"),
            parseRoles(rs.getString("roles")), rs.getBoolean("suspended"));

    private final JdbcTemplate jdbc;
    private final EventHistory history;

    JdbcAccountDirectory(JdbcTemplate jdbc, EventHistory history) {
        this.jdbc = jdbc;
        this.history = history;
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

    @Override
    public void claim(String handle, String accountId, String passwordHash, Set<Role> roles) {
        try {
            jdbc.update("INSERT INTO handles (handle, account_id) VALUES (?, ?)", handle, accountId);
        } catch (DuplicateKeyException e) {
            throw CommandRejected.conflict("handle-taken", "The handle '" + handle + "' is already taken");
        }
        jdbc.update("INSERT INTO credentials (account_id, password_hash, roles) VALUES (?, ?, ?)",
                accountId, passwordHash, formatRoles(roles));
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
    public void block(String blockerId, String blockedId) {
        jdbc.update("INSERT INTO blocks (blocker_id, blocked_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                blockerId, blockedId);
    }

    @Override
    public void unblock(String blockerId, String blockedId) {
        jdbc.update("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", blockerId, blockedId);
    }

    @Override
    public boolean blocks(String blockerId, String blockedId) {
        return blockerId != null && blockedId != null && Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?)", Boolean.class,
                blockerId, blockedId));
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
