package io.parley.api.account;

import io.parley.api.privacy.DataSubject;
import io.parley.api.privacy.PersonalData;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Set;

public final class AccountEvents {
    private AccountEvents() {
    }

    /** Handle and display name are stored encrypted with the account's data key (README, Account deletion). */
    @Revision("1")
    public record AccountRegistered(@DataSubject String accountId, @PersonalData String handle,
                                    @PersonalData String displayName, Set<Role> roles,
                                    Instant registeredAt) {
    }

    @Revision("1")
    public record RolesChanged(String accountId, Set<Role> roles, String changedBy, Instant changedAt) {
    }

    @Revision("1")
    public record PrivacyChanged(String accountId, LastSeenVisibility lastSeen, Instant changedAt) {
    }

    @Revision("1")
    public record DeviceRegistered(@DataSubject String accountId, String deviceId, DevicePlatform platform,
                                   @PersonalData String token,
                                   Instant registeredAt) {
    }

    @Revision("1")
    public record DeviceRemoved(String accountId, String deviceId, String reason, Instant removedAt) {
    }

    @Revision("1")
    public record UserBlocked(String accountId, String blockedId, Instant blockedAt) {
    }

    @Revision("1")
    public record UserUnblocked(String accountId, String blockedId, Instant unblockedAt) {
    }

    /**
     * Sign-in sessions ended: {@code sessionId} the one ended, null when every session of the account was;
     * {@code sessions} how many were still active and are now revoked.
     */
    @Revision("1")
    public record SignedOut(String accountId, String sessionId, SignOutReason reason, int sessions,
                            Instant signedOutAt) {
    }

    /**
     * A platform ADMIN suspended the account (README, Reports and moderation): it can no longer sign in or refresh,
     * its live sessions are closed; its sign-in sessions end with a {@code SignedOut} (reason SUSPENDED).
     */
    @Revision("1")
    public record AccountSuspended(String accountId, String reason, String suspendedBy, Instant suspendedAt) {
    }

    @Revision("1")
    public record AccountReinstated(String accountId, String reinstatedBy, Instant reinstatedAt) {
    }

    /**
     * The password was replaced. The hash is not in the event: it lives in the write side's {@code credentials}
     * table, written in the same transaction. The sessions it ended follow as a {@code SignedOut}
     * (reason PASSWORD_CHANGED).
     */
    @Revision("1")
    public record PasswordChanged(String accountId, Instant changedAt) {
    }

    @Revision("1")
    public record DisplayNameChanged(@DataSubject String accountId, @PersonalData String displayName,
                                     Instant changedAt) {
    }

    /**
     * The account was deleted by its owner (README, Account deletion): its data key is destroyed in the same
     * transaction, so everything personal it ever wrote reads as {@code [erased]}; ids, times and order remain.
     */
    @Revision("1")
    public record AccountDeleted(String accountId, Instant deletedAt) {
    }
}
