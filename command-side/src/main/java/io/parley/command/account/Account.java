package io.parley.command.account;

import io.parley.api.account.AccountCommands.BlockUser;
import io.parley.api.account.AccountCommands.ChangeDisplayName;
import io.parley.api.account.AccountCommands.ChangePassword;
import io.parley.api.account.AccountCommands.ChangePrivacy;
import io.parley.api.account.AccountCommands.ChangeRoles;
import io.parley.api.account.AccountCommands.DeleteAccount;
import io.parley.api.account.AccountCommands.RegisterAccount;
import io.parley.api.account.AccountCommands.RegisterDevice;
import io.parley.api.account.AccountCommands.ReinstateAccount;
import io.parley.api.account.AccountCommands.RemoveDevice;
import io.parley.api.account.AccountCommands.RevokeSession;
import io.parley.api.account.AccountCommands.SignOut;
import io.parley.api.account.AccountCommands.SuspendAccount;
import io.parley.api.account.AccountCommands.UnblockUser;
import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.AccountReinstated;
import io.parley.api.account.AccountEvents.AccountSuspended;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.DisplayNameChanged;
import io.parley.api.account.AccountEvents.PasswordChanged;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.RolesChanged;
import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.AccountIds;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import io.parley.api.account.SignOutReason;
import io.parley.api.common.CommandRejected;
import io.parley.api.privacy.DataKeys;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * An account: who someone is (a unique handle), what they may do (roles), who may see their last seen,
 * where their pushes go (devices) and whom they blocked. The password hash is not state of this aggregate:
 * it lives in the {@link AccountDirectory}, written in the same transaction as the registration event. Sign-in
 * sessions are not state either: they live in {@link SignInSessions}, whose revocations this aggregate writes
 * with its {@code SignedOut} event, so the event history shows every sign-out (docs/design.md, section 5).
 */
@Aggregate
class Account {

    static final Pattern HANDLE = Pattern.compile("[a-z0-9][a-z0-9_.]{2,31}");
    static final int MAX_DISPLAY_NAME = 64;
    static final int MAX_DEVICES = 10;
    static final int MAX_TOKEN_LENGTH = 4096;
    static final int MAX_REASON = 500;

    @AggregateIdentifier
    private String accountId;
    private Set<Role> roles;
    private LastSeenVisibility lastSeen;
    /** deviceId -> push token: the token is needed to refuse registering the same token twice */
    private Map<String, String> devices;
    private Set<String> blocked;
    private boolean suspended;
    private String displayName;

    Account() {
        // required by Axon to rebuild the aggregate from its events
    }

    @CommandHandler
    Account(RegisterAccount command, AccountDirectory directory, Clock clock) {
        if (command.handle() == null || !HANDLE.matcher(command.handle()).matches()) {
            throw CommandRejected.invalid("invalid-handle",
                    "A handle has 3 to 32 characters: lower-case letters, digits, '_' and '.', starting with a letter or digit");
        }
        String displayName = displayName(command.displayName());
        requirePasswordHash(command.passwordHash());
        Set<Role> roles = withUser(command.roles());
        directory.claim(command.handle(), command.accountId(), command.passwordHash(), roles);
        apply(new AccountRegistered(command.accountId(), command.handle(), displayName, roles, clock.instant()));
    }

    /** The same rules as at sign-up; the same name again records nothing. */
    @CommandHandler
    void handle(ChangeDisplayName command, Clock clock) {
        String name = displayName(command.displayName());
        if (!name.equals(displayName)) {
            apply(new DisplayNameChanged(accountId, name, clock.instant()));
        }
    }

    /**
     * The new hash goes to the {@code credentials} table in this command's transaction; every sign-in session ends
     * with it, on every device (the one changing the password signs in again with the new one), so whoever knew
     * the old password and holds a refresh token is out.
     */
    @CommandHandler
    void handle(ChangePassword command, AccountDirectory directory, SignInSessions sessions, Clock clock) {
        requirePasswordHash(command.passwordHash());
        Instant now = clock.instant();
        directory.updatePassword(accountId, command.passwordHash());
        apply(new PasswordChanged(accountId, now));
        int ended = sessions.revokeAll(accountId, now);
        if (ended > 0) {
            apply(new SignedOut(accountId, null, SignOutReason.PASSWORD_CHANGED, ended, now));
        }
    }

    @CommandHandler
    void handle(ChangeRoles command, AccountDirectory directory, Clock clock) {
        Set<Role> requested = withUser(command.roles());
        if (requested.equals(roles)) {
            return;
        }
        directory.updateRoles(accountId, requested);
        apply(new RolesChanged(accountId, requested, command.changedBy(), clock.instant()));
    }

    @CommandHandler
    void handle(ChangePrivacy command, Clock clock) {
        if (command.lastSeen() == null) {
            throw CommandRejected.invalid("invalid-privacy", "lastSeen must be EVERYONE, CONTACTS or NOBODY");
        }
        if (command.lastSeen() != lastSeen) {
            apply(new PrivacyChanged(accountId, command.lastSeen(), clock.instant()));
        }
    }

    @CommandHandler
    void handle(RegisterDevice command, Clock clock) {
        if (command.platform() == null) {
            throw CommandRejected.invalid("invalid-device", "platform must be ANDROID, IOS or WEB");
        }
        if (command.token() == null || command.token().isBlank() || command.token().length() > MAX_TOKEN_LENGTH) {
            throw CommandRejected.invalid("invalid-device", "A push token of 1 to " + MAX_TOKEN_LENGTH + " characters is required");
        }
        if (devices.containsKey(command.deviceId())) {
            throw CommandRejected.conflict("device-exists", "This device id is already registered");
        }
        // the same token registered again (an app reinstall) replaces the old entry rather than doubling pushes
        devices.entrySet().stream().filter(e -> e.getValue().equals(command.token())).map(Map.Entry::getKey)
                .toList().forEach(old -> apply(new DeviceRemoved(accountId, old, "REPLACED", clock.instant())));
        if (devices.size() >= MAX_DEVICES) {
            throw CommandRejected.conflict("too-many-devices", "At most " + MAX_DEVICES + " devices per account");
        }
        apply(new DeviceRegistered(accountId, command.deviceId(), command.platform(), command.token(), clock.instant()));
    }

    @CommandHandler
    void handle(RemoveDevice command, Clock clock) {
        if (!devices.containsKey(command.deviceId())) {
            // pruning a token twice (two failed pushes in flight) is not an error, a user removing a stranger's is
            if ("USER".equals(command.reason())) {
                throw CommandRejected.notFound("device-not-found", "No such device");
            }
            return;
        }
        apply(new DeviceRemoved(accountId, command.deviceId(), command.reason(), clock.instant()));
    }

    @CommandHandler
    void handle(BlockUser command, AccountDirectory directory, Clock clock) {
        // the target lands in the blocks table and an event: only an id that can name an account (issue 15)
        AccountIds.require(command.blockedId(), "blockedId");
        if (accountId.equals(command.blockedId())) {
            throw CommandRejected.invalid("cannot-block-self", "You cannot block yourself");
        }
        if (!blocked.contains(command.blockedId())) {
            directory.block(accountId, command.blockedId());
            apply(new UserBlocked(accountId, command.blockedId(), clock.instant()));
        }
    }

    @CommandHandler
    void handle(UnblockUser command, AccountDirectory directory, Clock clock) {
        if (blocked.contains(command.blockedId())) {
            directory.unblock(accountId, command.blockedId());
            apply(new UserUnblocked(accountId, command.blockedId(), clock.instant()));
        }
    }

    /**
     * Ends one session or all of them. Signing out of a session already ended changes nothing and records
     * nothing, like unblocking someone not blocked; a reuse always names its session.
     */
    @CommandHandler
    void handle(SignOut command, SignInSessions sessions, Clock clock) {
        if (command.reason() == null) {
            throw CommandRejected.invalid("invalid-sign-out", "A sign-out needs a reason");
        }
        boolean everywhere = command.reason() == SignOutReason.SIGN_OUT_EVERYWHERE;
        if (everywhere != (command.sessionId() == null)) {
            throw CommandRejected.invalid("invalid-sign-out",
                    "A sign-out names its session, unless it ends every session of the account");
        }
        Instant now = clock.instant();
        int ended = everywhere ? sessions.revokeAll(accountId, now)
                : sessions.revoke(accountId, command.sessionId(), now) ? 1 : 0;
        if (ended > 0) {
            apply(new SignedOut(accountId, command.sessionId(), command.reason(), ended, now));
        }
    }

    /**
     * Ends one session its owner names (from the list of their sessions): one that is not an active session of
     * this account, someone else's included, is not found, and nothing is recorded.
     */
    @CommandHandler
    void handle(RevokeSession command, SignInSessions sessions, Clock clock) {
        Instant now = clock.instant();
        if (command.sessionId() == null || !sessions.revoke(accountId, command.sessionId(), now)) {
            throw CommandRejected.notFound("session-not-found", "No such active session of yours");
        }
        apply(new SignedOut(accountId, command.sessionId(), SignOutReason.SESSION_REVOKED, 1, now));
    }

    /**
     * Suspension (README, Reports and moderation): the {@code credentials} row is marked in the same transaction,
     * so sign-in and refresh are refused from the commit on, and every sign-in session ends here too. Suspending
     * a suspended account records nothing; an admin cannot suspend themselves (nor lock out the last admin so).
     */
    @CommandHandler
    void handle(SuspendAccount command, AccountDirectory directory, SignInSessions sessions, Clock clock) {
        if (accountId.equals(command.suspendedBy())) {
            throw CommandRejected.invalid("cannot-suspend-self", "You cannot suspend your own account");
        }
        String reason = command.reason() == null ? "" : command.reason().strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON || reason.indexOf('\0') >= 0) {
            throw CommandRejected.invalid("invalid-suspension",
                    "A suspension gives a reason of 1 to " + MAX_REASON + " characters, without U+0000");
        }
        if (suspended) {
            return;
        }
        Instant now = clock.instant();
        directory.suspend(accountId, true);
        apply(new AccountSuspended(accountId, reason, command.suspendedBy(), now));
        int ended = sessions.revokeAll(accountId, now);
        if (ended > 0) {
            apply(new SignedOut(accountId, null, SignOutReason.SUSPENDED, ended, now));
        }
    }

    @CommandHandler
    void handle(ReinstateAccount command, AccountDirectory directory, Clock clock) {
        if (!suspended) {
            return;
        }
        directory.suspend(accountId, false);
        apply(new AccountReinstated(accountId, command.reinstatedBy(), clock.instant()));
    }

    /**
     * Deletion (README, Account deletion), once: every sign-in session ends, the credentials go and the handle is
     * released, and the account's data key is destroyed in the transaction that stores {@code AccountDeleted}, so
     * the event and the erasure commit together. Afterwards the aggregate is deleted: any command to it is refused
     * (404), a second deletion included.
     */
    @CommandHandler
    void handle(DeleteAccount command, AccountDirectory directory, SignInSessions sessions, DataKeys keys,
                Clock clock) {
        Instant now = clock.instant();
        int ended = sessions.revokeAll(accountId, now);
        if (ended > 0) {
            apply(new SignedOut(accountId, null, SignOutReason.ACCOUNT_DELETED, ended, now));
        }
        directory.delete(accountId);
        apply(new AccountDeleted(accountId, now));
        keys.destroy(accountId);
    }

    @EventSourcingHandler
    void on(AccountDeleted event) {
        markDeleted();
    }

    @EventSourcingHandler
    void on(AccountSuspended event) {
        suspended = true;
    }

    @EventSourcingHandler
    void on(AccountReinstated event) {
        suspended = false;
    }

    @EventSourcingHandler
    void on(AccountRegistered event) {
        accountId = event.accountId();
        displayName = event.displayName();
        roles = EnumSet.copyOf(event.roles());
        lastSeen = LastSeenVisibility.EVERYONE;
        devices = new HashMap<>();
        blocked = new HashSet<>();
    }

    @EventSourcingHandler
    void on(DisplayNameChanged event) {
        displayName = event.displayName();
    }

    @EventSourcingHandler
    void on(RolesChanged event) {
        roles = EnumSet.copyOf(event.roles());
    }

    @EventSourcingHandler
    void on(PrivacyChanged event) {
        lastSeen = event.lastSeen();
    }

    @EventSourcingHandler
    void on(DeviceRegistered event) {
        devices.put(event.deviceId(), event.token());
    }

    @EventSourcingHandler
    void on(DeviceRemoved event) {
        devices.remove(event.deviceId());
    }

    @EventSourcingHandler
    void on(UserBlocked event) {
        blocked.add(event.blockedId());
    }

    @EventSourcingHandler
    void on(UserUnblocked event) {
        blocked.remove(event.blockedId());
    }

    /** Stripped; U+0000 is refused in every text input (issue 15): PostgreSQL text cannot hold it. */
    private static String displayName(String requested) {
        String name = requested == null ? "" : requested.strip();
        if (name.isEmpty() || name.length() > MAX_DISPLAY_NAME || name.indexOf('\0') >= 0) {
            throw CommandRejected.invalid("invalid-display-name",
                    "A display name has 1 to " + MAX_DISPLAY_NAME + " characters, without U+0000");
        }
        return name;
    }

    private static void requirePasswordHash(String hash) {
        if (hash == null || hash.isBlank()) {
            throw CommandRejected.invalid("invalid-password", "A password is required");
        }
    }

    private static Set<Role> withUser(Set<Role> requested) {
        Set<Role> roles = requested == null || requested.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(requested);
        roles.add(Role.USER);
        return roles;
    }
}
