package io.parley.command.account;

import io.parley.api.account.AccountCommands.BlockUser;
import io.parley.api.account.AccountCommands.ChangeDisplayName;
import io.parley.api.account.AccountCommands.ChangePassword;
import io.parley.api.account.AccountCommands.RevokeSession;
import io.parley.api.account.AccountEvents.DisplayNameChanged;
import io.parley.api.account.AccountEvents.PasswordChanged;
import io.parley.api.account.AccountCommands.ChangePrivacy;
import io.parley.api.account.AccountCommands.ChangeRoles;
import io.parley.api.account.AccountCommands.RegisterAccount;
import io.parley.api.account.AccountCommands.RegisterDevice;
import io.parley.api.account.AccountCommands.ReinstateAccount;
import io.parley.api.account.AccountCommands.RemoveDevice;
import io.parley.api.account.AccountCommands.SuspendAccount;
import io.parley.api.account.AccountEvents.AccountReinstated;
import io.parley.api.account.AccountEvents.AccountSuspended;
import io.parley.api.account.AccountCommands.SignOut;
import io.parley.api.account.AccountCommands.UnblockUser;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.RolesChanged;
import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import io.parley.api.account.SignOutReason;
import io.parley.api.common.CommandRejected;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccountTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String ID = "6f1c8a52-8f7e-4c59-9a55-3c1f5f4b0d11";
    private static final String BOB = "9b2d7e14-3a5c-4f60-8d21-7c4e9f0a1b33";

    private AggregateTestFixture<Account> fixture;
    private InMemoryDirectory directory;
    private InMemorySessions sessions;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
        directory = new InMemoryDirectory();
        fixture.registerInjectableResource(directory);
        sessions = new InMemorySessions();
        fixture.registerInjectableResource(sessions);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private AccountRegistered registered() {
        return new AccountRegistered(ID, "alice", "Alice", EnumSet.of(Role.USER), NOW);
    }

    @Test
    void registersWithUserRoleAndClaimsHandle() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ID, "alice", "  Alice  ", "{bcrypt}hash", Set.of()))
                .expectSuccessfulHandlerExecution()
                .expectEvents(registered());
        assertThat(directory.byHandle).containsKey("alice");
        assertThat(directory.byHandle.get("alice").passwordHash()).isEqualTo("{bcrypt}hash");
    }

    @Test
    void handleAlreadyTakenIsRejectedWithoutEvent() {
        directory.claim("alice", "someone-else", "x", Set.of(Role.USER));
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ID, "alice", "Alice", "{bcrypt}hash", Set.of()))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("The handle 'alice' is already taken")
                .expectNoEvents();
    }

    @Test
    void malformedHandleIsRejected() {
        for (String handle : new String[]{"al", "Alice", "a b c", "_alice", "x".repeat(33), "ali\0ce", null}) {
            fixture.givenNoPriorActivity()
                    .when(new RegisterAccount(ID, handle, "Alice", "{bcrypt}hash", Set.of()))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        assertThat(directory.byHandle).isEmpty();
    }

    @Test
    void blankOrOverlongDisplayNameIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ID, "alice", "   ", "{bcrypt}hash", Set.of()))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ID, "alice", "x".repeat(65), "{bcrypt}hash", Set.of()))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void aDisplayNameWithNulIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ID, "alice", "Ali\0ce", "{bcrypt}hash", Set.of()))
                .expectException(new org.hamcrest.CustomTypeSafeMatcher<CommandRejected>("invalid-display-name") {
                    @Override
                    protected boolean matchesSafely(CommandRejected item) {
                        return item.code().equals("invalid-display-name");
                    }
                }).expectNoEvents();
        assertThat(directory.byHandle).isEmpty();
    }

    @Test
    void missingPasswordHashIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ID, "alice", "Alice", " ", Set.of()))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void rolesAlwaysKeepUserAndSameRolesAreNoOp() {
        fixture.given(registered())
                .when(new ChangeRoles(ID, Set.of(Role.ANALYST), "admin"))
                .expectEvents(new RolesChanged(ID, EnumSet.of(Role.USER, Role.ANALYST), "admin", NOW));
        assertThat(directory.rolesById.get(ID)).containsExactlyInAnyOrder(Role.USER, Role.ANALYST);
        fixture.given(registered())
                .when(new ChangeRoles(ID, Set.of(Role.USER), "admin"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void privacyChangesOnlyWhenDifferent() {
        fixture.given(registered())
                .when(new ChangePrivacy(ID, LastSeenVisibility.NOBODY))
                .expectEvents(new PrivacyChanged(ID, LastSeenVisibility.NOBODY, NOW));
        fixture.given(registered())
                .when(new ChangePrivacy(ID, LastSeenVisibility.EVERYONE))
                .expectSuccessfulHandlerExecution().expectNoEvents();
        fixture.given(registered())
                .when(new ChangePrivacy(ID, null))
                .expectException(CommandRejected.class);
    }

    @Test
    void registersAndRemovesDevices() {
        fixture.given(registered())
                .when(new RegisterDevice(ID, "d1", DevicePlatform.ANDROID, "tok-1"))
                .expectEvents(new DeviceRegistered(ID, "d1", DevicePlatform.ANDROID, "tok-1", NOW));
        fixture.given(registered(), new DeviceRegistered(ID, "d1", DevicePlatform.ANDROID, "tok-1", NOW))
                .when(new RemoveDevice(ID, "d1", "UNREGISTERED"))
                .expectEvents(new DeviceRemoved(ID, "d1", "UNREGISTERED", NOW));
    }

    @Test
    void sameTokenOnANewDeviceReplacesTheOldOne() {
        fixture.given(registered(), new DeviceRegistered(ID, "d1", DevicePlatform.ANDROID, "tok-1", NOW))
                .when(new RegisterDevice(ID, "d2", DevicePlatform.ANDROID, "tok-1"))
                .expectEvents(new DeviceRemoved(ID, "d1", "REPLACED", NOW),
                        new DeviceRegistered(ID, "d2", DevicePlatform.ANDROID, "tok-1", NOW));
    }

    @Test
    void deviceNeedsPlatformAndTokenAndAUniqueId() {
        fixture.given(registered())
                .when(new RegisterDevice(ID, "d1", null, "tok"))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.given(registered())
                .when(new RegisterDevice(ID, "d1", DevicePlatform.WEB, " "))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.given(registered(), new DeviceRegistered(ID, "d1", DevicePlatform.ANDROID, "tok-1", NOW))
                .when(new RegisterDevice(ID, "d1", DevicePlatform.WEB, "tok-2"))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void atMostTenDevices() {
        Object[] given = new Object[11];
        given[0] = registered();
        for (int i = 0; i < 10; i++) {
            given[i + 1] = new DeviceRegistered(ID, "d" + i, DevicePlatform.IOS, "tok-" + i, NOW);
        }
        fixture.given(given)
                .when(new RegisterDevice(ID, "d10", DevicePlatform.IOS, "tok-10"))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void removingAnUnknownDeviceIsAnErrorForUsersButIdempotentForPruning() {
        fixture.given(registered())
                .when(new RemoveDevice(ID, "nope", "USER"))
                .expectException(CommandRejected.class);
        fixture.given(registered())
                .when(new RemoveDevice(ID, "nope", "UNREGISTERED"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void blockAndUnblockAreIdempotentAndSelfBlockIsRejected() {
        fixture.given(registered())
                .when(new BlockUser(ID, BOB))
                .expectEvents(new UserBlocked(ID, BOB, NOW));
        fixture.given(registered(), new UserBlocked(ID, BOB, NOW))
                .when(new BlockUser(ID, BOB))
                .expectNoEvents();
        fixture.given(registered(), new UserBlocked(ID, BOB, NOW))
                .when(new UnblockUser(ID, BOB))
                .expectEvents(new UserUnblocked(ID, BOB, NOW));
        fixture.given(registered())
                .when(new UnblockUser(ID, BOB))
                .expectNoEvents();
        fixture.given(registered())
                .when(new BlockUser(ID, ID))
                .expectException(CommandRejected.class);
    }

    @Test
    void aBlockNamesAnAccountIdOrNothingIsStored() {
        for (String bad : new String[]{"bob", BOB.toUpperCase(), "a\0b", BOB + " "}) {
            fixture.given(registered())
                    .when(new BlockUser(ID, bad))
                    .expectException(new org.hamcrest.CustomTypeSafeMatcher<CommandRejected>("invalid-account-id") {
                        @Override
                        protected boolean matchesSafely(CommandRejected item) {
                            return item.code().equals("invalid-account-id");
                        }
                    })
                    .expectNoEvents();
        }
        assertThat(directory.blocks).isEmpty();
    }

    @Test
    void aBlockIsRecordedInTheDirectoryWithItsEventAndAnUnblockRemovesIt() {
        fixture.given(registered())
                .when(new BlockUser(ID, BOB))
                .expectEvents(new UserBlocked(ID, BOB, NOW));
        assertThat(directory.blocks).containsExactly(ID + ">" + BOB);

        fixture.given(registered(), new UserBlocked(ID, BOB, NOW))
                .when(new UnblockUser(ID, BOB))
                .expectEvents(new UserUnblocked(ID, BOB, NOW));
        assertThat(directory.blocks).isEmpty();
    }

    @Test
    void noEventMeansNoChangeInTheDirectory() {
        directory.blocks.add(ID + ">" + BOB);
        fixture.given(registered(), new UserBlocked(ID, BOB, NOW))
                .when(new BlockUser(ID, BOB))
                .expectNoEvents();
        fixture.given(registered())
                .when(new BlockUser(ID, ID))
                .expectException(CommandRejected.class);
        fixture.given(registered())
                .when(new UnblockUser(ID, "0c4a4c8e-2d6f-4a8e-9a1b-5e3f2b1c0d22"))
                .expectNoEvents();
        assertThat(directory.blocks).containsExactly(ID + ">" + BOB);
        assertThat(directory.unblockCalls).isZero();
    }

    @Test
    void signOutRevokesItsSessionAndRecordsIt() {
        sessions.start("s1", ID, "t1", NOW.plusSeconds(3600), NOW);
        sessions.start("s2", ID, "t2", NOW.plusSeconds(3600), NOW);
        fixture.given(registered())
                .when(new SignOut(ID, "s1", SignOutReason.SIGN_OUT))
                .expectEvents(new SignedOut(ID, "s1", SignOutReason.SIGN_OUT, 1, NOW));
        assertThat(sessions.revoked).containsExactly("s1");
    }

    @Test
    void signingOutOfAnEndedSessionRecordsNothing() {
        sessions.start("s1", ID, "t1", NOW.plusSeconds(3600), NOW);
        sessions.revoke(ID, "s1", NOW);
        fixture.given(registered())
                .when(new SignOut(ID, "s1", SignOutReason.SIGN_OUT))
                .expectNoEvents();
        fixture.given(registered())
                .when(new SignOut(ID, "no-such-session", SignOutReason.REFRESH_TOKEN_REUSED))
                .expectNoEvents();
    }

    @Test
    void signOutEverywhereRevokesEverySessionOfTheAccountOnly() {
        sessions.start("s1", ID, "t1", NOW.plusSeconds(3600), NOW);
        sessions.start("s2", ID, "t2", NOW.plusSeconds(3600), NOW);
        sessions.start("s3", BOB, "t3", NOW.plusSeconds(3600), NOW);
        fixture.given(registered())
                .when(new SignOut(ID, null, SignOutReason.SIGN_OUT_EVERYWHERE))
                .expectEvents(new SignedOut(ID, null, SignOutReason.SIGN_OUT_EVERYWHERE, 2, NOW));
        assertThat(sessions.revoked).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void aSignOutNamesItsSessionUnlessItEndsThemAll() {
        fixture.given(registered())
                .when(new SignOut(ID, null, SignOutReason.SIGN_OUT))
                .expectException(CommandRejected.class);
        fixture.given(registered())
                .when(new SignOut(ID, "s1", SignOutReason.SIGN_OUT_EVERYWHERE))
                .expectException(CommandRejected.class);
        fixture.given(registered())
                .when(new SignOut(ID, "s1", null))
                .expectException(CommandRejected.class);
    }

    // ---------------------------------------------------------------- one named session (GET/DELETE /api/me/sessions)

    @Test
    void revokingAnActiveSessionOfTheAccountEndsItAndRecordsIt() {
        sessions.start("s1", ID, "t1", NOW.plusSeconds(3600), NOW);
        sessions.start("s2", ID, "t2", NOW.plusSeconds(3600), NOW);
        fixture.given(registered())
                .when(new RevokeSession(ID, "s2"))
                .expectEvents(new SignedOut(ID, "s2", SignOutReason.SESSION_REVOKED, 1, NOW));
        assertThat(sessions.revoked).containsExactly("s2");
    }

    @Test
    void revokingASessionThatIsNotAnActiveOneOfTheAccountIsNotFound() {
        sessions.start("ended", ID, "t1", NOW.plusSeconds(3600), NOW);
        sessions.revoke(ID, "ended", NOW);
        sessions.start("bobs", BOB, "t2", NOW.plusSeconds(3600), NOW);
        for (String sessionId : new String[]{"ended", "bobs", "no-such-session", null}) {
            fixture.given(registered())
                    .when(new RevokeSession(ID, sessionId))
                    .expectException(CommandRejected.class).expectExceptionMessage("No such active session of yours")
                    .expectNoEvents();
        }
        assertThat(sessions.revoked).containsExactly("ended");
    }

    // ---------------------------------------------------------------- password

    @Test
    void aPasswordChangeStoresTheNewHashAndEndsEverySessionOfTheAccount() {
        directory.claim("alice", ID, "{bcrypt}old", Set.of(Role.USER));
        sessions.start("s1", ID, "t1", NOW.plusSeconds(3600), NOW);
        sessions.start("s2", ID, "t2", NOW.plusSeconds(3600), NOW);
        sessions.start("s3", BOB, "t3", NOW.plusSeconds(3600), NOW);
        fixture.given(registered())
                .when(new ChangePassword(ID, "{bcrypt}new"))
                .expectEvents(new PasswordChanged(ID, NOW),
                        new SignedOut(ID, null, SignOutReason.PASSWORD_CHANGED, 2, NOW));
        assertThat(directory.findById(ID).orElseThrow().passwordHash()).isEqualTo("{bcrypt}new");
        assertThat(sessions.revoked).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void aPasswordChangeWithoutSessionsRecordsNoSignOut() {
        directory.claim("alice", ID, "{bcrypt}old", Set.of(Role.USER));
        fixture.given(registered())
                .when(new ChangePassword(ID, "{bcrypt}new"))
                .expectEvents(new PasswordChanged(ID, NOW));
    }

    @Test
    void aPasswordChangeNeedsAHashAndChangesNothingWithout() {
        directory.claim("alice", ID, "{bcrypt}old", Set.of(Role.USER));
        sessions.start("s1", ID, "t1", NOW.plusSeconds(3600), NOW);
        for (String hash : new String[]{null, " "}) {
            fixture.given(registered())
                    .when(new ChangePassword(ID, hash))
                    .expectException(CommandRejected.class).expectNoEvents();
        }
        assertThat(directory.findById(ID).orElseThrow().passwordHash()).isEqualTo("{bcrypt}old");
        assertThat(sessions.revoked).isEmpty();
    }

    // ---------------------------------------------------------------- display name

    @Test
    void aDisplayNameChangeIsStrippedAndRecorded() {
        fixture.given(registered())
                .when(new ChangeDisplayName(ID, "  Alice Liddell "))
                .expectEvents(new DisplayNameChanged(ID, "Alice Liddell", NOW));
    }

    @Test
    void theSameDisplayNameAgainRecordsNothing() {
        fixture.given(registered())
                .when(new ChangeDisplayName(ID, " Alice "))
                .expectSuccessfulHandlerExecution().expectNoEvents();
        fixture.given(registered(), new DisplayNameChanged(ID, "Al", NOW))
                .when(new ChangeDisplayName(ID, "Al"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
        fixture.given(registered(), new DisplayNameChanged(ID, "Al", NOW))
                .when(new ChangeDisplayName(ID, "Alice"))
                .expectEvents(new DisplayNameChanged(ID, "Alice", NOW));
    }

    @Test
    void aDisplayNameChangeFollowsTheSignUpRules() {
        for (String name : new String[]{null, "   ", "x".repeat(Account.MAX_DISPLAY_NAME + 1), "Al\0ice"}) {
            fixture.given(registered())
                    .when(new ChangeDisplayName(ID, name))
                    .expectException(CommandRejected.class).expectNoEvents();
        }
        fixture.given(registered())
                .when(new ChangeDisplayName(ID, "x".repeat(Account.MAX_DISPLAY_NAME)))
                .expectEvents(new DisplayNameChanged(ID, "x".repeat(Account.MAX_DISPLAY_NAME), NOW));
    }

    /** Stands in for the sign_in_sessions table: only what the aggregate writes (revocations). */
    static class InMemorySessions implements SignInSessions {
        final Map<String, String> accountBySession = new HashMap<>();
        final Set<String> revoked = new LinkedHashSet<>();

        @Override
        public void start(String sessionId, String accountId, String tokenId, Instant expiresAt, Instant now,
                          String userAgent) {
            accountBySession.put(sessionId, accountId);
        }

        @Override
        public List<ActiveSession> active(String accountId, Instant now) {
            throw new UnsupportedOperationException("the aggregate never lists sessions");
        }

        @Override
        public Outcome rotate(String sessionId, String accountId, String presentedTokenId, String nextTokenId,
                              Instant nextExpiresAt, Instant now) {
            throw new UnsupportedOperationException("the aggregate never rotates");
        }

        @Override
        public boolean revoke(String accountId, String sessionId, Instant now) {
            return accountId.equals(accountBySession.get(sessionId)) && revoked.add(sessionId);
        }

        @Override
        public int revokeAll(String accountId, Instant now) {
            return (int) accountBySession.entrySet().stream().filter(e -> e.getValue().equals(accountId))
                    .filter(e -> revoked.add(e.getKey())).count();
        }
    }

    // ---------------------------------------------------------------- suspension

    private static final String ADMIN = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    @Test
    void aSuspensionMarksTheAccountAndEndsEverySession() {
        sessions.accountBySession.put("s1", ID);
        sessions.accountBySession.put("s2", ID);
        fixture.given(registered()).when(new SuspendAccount(ID, " spam ", ADMIN))
                .expectEvents(new AccountSuspended(ID, "spam", ADMIN, NOW),
                        new SignedOut(ID, null, SignOutReason.SUSPENDED, 2, NOW));
        assertThat(directory.suspended).containsExactly(ID);
        assertThat(sessions.revoked).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void aSuspensionWithoutSessionsRecordsNoSignOut() {
        fixture.given(registered()).when(new SuspendAccount(ID, "spam", ADMIN))
                .expectEvents(new AccountSuspended(ID, "spam", ADMIN, NOW));
    }

    @Test
    void suspendingTwiceRecordsNothing() {
        fixture.given(registered(), new AccountSuspended(ID, "spam", ADMIN, NOW))
                .when(new SuspendAccount(ID, "again", ADMIN)).expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aSuspensionNeedsAReasonAndNeverTargetsTheAdminThemself() {
        fixture.given(registered()).when(new SuspendAccount(ID, "  ", ADMIN))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.given(registered()).when(new SuspendAccount(ID, "x".repeat(Account.MAX_REASON + 1), ADMIN))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.given(registered()).when(new SuspendAccount(ID, "self", ID))
                .expectException(CommandRejected.class).expectExceptionMessage("You cannot suspend your own account")
                .expectNoEvents();
        assertThat(directory.suspended).isEmpty();
    }

    @Test
    void aReinstatementLiftsTheSuspensionOnce() {
        directory.suspended.add(ID);
        fixture.given(registered(), new AccountSuspended(ID, "spam", ADMIN, NOW))
                .when(new ReinstateAccount(ID, ADMIN)).expectEvents(new AccountReinstated(ID, ADMIN, NOW));
        assertThat(directory.suspended).isEmpty();
        fixture.given(registered(), new AccountSuspended(ID, "spam", ADMIN, NOW), new AccountReinstated(ID, ADMIN, NOW))
                .when(new ReinstateAccount(ID, ADMIN)).expectNoEvents();
        fixture.given(registered()).when(new ReinstateAccount(ID, ADMIN)).expectNoEvents();
    }

    /** Stands in for the PostgreSQL tables; the unique constraint becomes a map key check. */
    static class InMemoryDirectory implements AccountDirectory {
        final Map<String, Credentials> byHandle = new HashMap<>();
        final Map<String, Set<Role>> rolesById = new HashMap<>();
        final Set<String> blocks = new LinkedHashSet<>();
        final Set<String> suspended = new LinkedHashSet<>();
        int unblockCalls;

        @Override
        public void suspend(String accountId, boolean suspend) {
            if (suspend) {
                suspended.add(accountId);
            } else {
                suspended.remove(accountId);
            }
        }

        @Override
        public Set<String> suspended() {
            return Set.copyOf(suspended);
        }

        @Override
        public void delete(String accountId) {
            byHandle.values().removeIf(c -> c.accountId().equals(accountId));
            rolesById.remove(accountId);
        }

        @Override
        public void claim(String handle, String accountId, String passwordHash, Set<Role> roles) {
            if (byHandle.containsKey(handle)) {
                throw CommandRejected.conflict("handle-taken", "The handle '" + handle + "' is already taken");
            }
            byHandle.put(handle, new Credentials(accountId, handle, passwordHash, roles));
            rolesById.put(accountId, roles);
        }

        @Override
        public void updateRoles(String accountId, Set<Role> roles) {
            rolesById.put(accountId, roles);
        }

        @Override
        public void updatePassword(String accountId, String passwordHash) {
            byHandle.replaceAll((handle, c) -> c.accountId().equals(accountId)
                    ? new Credentials(c.accountId(), c.handle(), passwordHash, c.roles(), c.suspended()) : c);
        }

        @Override
        public void block(String blockerId, String blockedId) {
            blocks.add(blockerId + ">" + blockedId);
        }

        @Override
        public void unblock(String blockerId, String blockedId) {
            unblockCalls++;
            blocks.remove(blockerId + ">" + blockedId);
        }

        @Override
        public Optional<Credentials> findByHandle(String handle) {
            return Optional.ofNullable(byHandle.get(handle));
        }

        @Override
        public Optional<Credentials> findById(String accountId) {
            return byHandle.values().stream().filter(c -> c.accountId().equals(accountId)).findFirst();
        }
    }
}
