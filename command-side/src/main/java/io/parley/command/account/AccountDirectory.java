package io.parley.command.account;

import io.parley.api.account.Role;

import java.util.Optional;
import java.util.Set;

/**
 * The write side's own tables next to the event store: handle claims (unique), credentials and blocks.
 * Writes join the transaction of the command that appends the event, so a handle is claimed if and only
 * if its {@code AccountRegistered} event is stored, and two concurrent sign-ups for one handle cannot
 * both succeed (the unique constraint decides); likewise a block is on record if and only if its
 * {@code UserBlocked} is stored and its {@code UserUnblocked} is not.
 */
public interface AccountDirectory {

    /** @throws io.parley.api.common.CommandRejected {@code handle-taken} when the handle is already claimed */
    void claim(String handle, String accountId, String passwordHash, Set<Role> roles);

    void updateRoles(String accountId, Set<Role> roles);

    /** Replaces the password hash (a password change). */
    void updatePassword(String accountId, String passwordHash);

    /** Records that {@code blockerId} blocked {@code blockedId}; recording it twice changes nothing. */
    void block(String blockerId, String blockedId);

    /** Removes the block, if there was one. */
    void unblock(String blockerId, String blockedId);

    /** Marks the account suspended (sign-in and refresh refused) or lifts that. */
    void suspend(String accountId, boolean suspended);

    /** Every suspended account: a node loads them once at start, the suspension events keep it current. */
    Set<String> suspended();

    /** Account deletion: the credentials go and the handle is released (anyone may claim it again). */
    void delete(String accountId);

    Optional<Credentials> findByHandle(String handle);

    Optional<Credentials> findById(String accountId);

    record Credentials(String accountId, String handle, String passwordHash, Set<Role> roles, boolean suspended) {
        public Credentials(String accountId, String handle, String passwordHash, Set<Role> roles) {
            this(accountId, handle, passwordHash, roles, false);
        }
    }
}
