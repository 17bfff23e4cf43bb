package io.parley.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Set;

/**
 * Commands of the Account aggregate. The password arrives already hashed: it is written to the
 * write side's {@code credentials} table in the same transaction as the event, never into an event.
 */
public final class AccountCommands {
    private AccountCommands() {
    }

    public record RegisterAccount(@TargetAggregateIdentifier String accountId, String handle, String displayName,
                                  String passwordHash, Set<Role> roles) {
    }

    /** Replaces the account's roles (USER is always kept). Only an ADMIN may send it. */
    public record ChangeRoles(@TargetAggregateIdentifier String accountId, Set<Role> roles, String changedBy) {
    }

    public record ChangePrivacy(@TargetAggregateIdentifier String accountId, LastSeenVisibility lastSeen) {
    }

    public record RegisterDevice(@TargetAggregateIdentifier String accountId, String deviceId,
                                 DevicePlatform platform, String token) {
    }

    /** {@code reason} is "USER" when the owner removed it, or the push service's error code when pruned. */
    public record RemoveDevice(@TargetAggregateIdentifier String accountId, String deviceId, String reason) {
    }

    public record BlockUser(@TargetAggregateIdentifier String accountId, String blockedId) {
    }

    public record UnblockUser(@TargetAggregateIdentifier String accountId, String blockedId) {
    }

    /**
     * Ends sign-in sessions (refresh token families): {@code sessionId} names one, null every session of the
     * account. Access tokens already issued stay valid until they expire (minutes): they are never looked up.
     */
    public record SignOut(@TargetAggregateIdentifier String accountId, String sessionId, SignOutReason reason) {
    }

    /** Only a platform ADMIN may send it, never for their own account. */
    public record SuspendAccount(@TargetAggregateIdentifier String accountId, String reason, String suspendedBy) {
    }

    /** Only a platform ADMIN may send it. */
    public record ReinstateAccount(@TargetAggregateIdentifier String accountId, String reinstatedBy) {
    }

    /**
     * Ends one named sign-in session of the account (GET /api/me/sessions lists them): unlike a {@link SignOut},
     * a session that is not an active one of this account is an error ({@code session-not-found}).
     */
    public record RevokeSession(@TargetAggregateIdentifier String accountId, String sessionId) {
    }

    /**
     * Replaces the password; the new one arrives hashed, like at registration, and the old one was checked by
     * the gateway against the credentials table. Every sign-in session of the account ends.
     */
    public record ChangePassword(@TargetAggregateIdentifier String accountId, String passwordHash) {
    }

    public record ChangeDisplayName(@TargetAggregateIdentifier String accountId, String displayName) {
    }

    /**
     * Deletes the account for good (its owner only, the password checked by the caller): sessions end, the handle
     * is released and the account's data key is destroyed with the {@code AccountDeleted} event.
     */
    public record DeleteAccount(@TargetAggregateIdentifier String accountId) {
    }
}
