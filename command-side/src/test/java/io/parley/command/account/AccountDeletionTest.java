package io.parley.command.account;

import io.parley.api.account.AccountCommands.ChangePrivacy;
import io.parley.api.account.AccountCommands.DeleteAccount;
import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import io.parley.api.account.SignOutReason;
import io.parley.api.privacy.DataKeys;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The DeleteAccount rules of the Account aggregate (README, Account deletion). */
class AccountDeletionTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final String ID = "6f1c8a52-8f7e-4c59-9a55-3c1f5f4b0d11";

    private AggregateTestFixture<Account> fixture;
    private AccountTest.InMemoryDirectory directory;
    private AccountTest.InMemorySessions sessions;
    private DestroyedKeys keys;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
        directory = new AccountTest.InMemoryDirectory();
        sessions = new AccountTest.InMemorySessions();
        keys = new DestroyedKeys();
        fixture.registerInjectableResource(directory);
        fixture.registerInjectableResource(sessions);
        fixture.registerInjectableResource(keys);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        directory.claim("alice", ID, "{bcrypt}hash", Set.of(Role.USER));
    }

    private AccountRegistered registered() {
        return new AccountRegistered(ID, "alice", "Alice", EnumSet.of(Role.USER), NOW.minusSeconds(3600));
    }

    @Test
    void deletionEndsEverySessionReleasesTheHandleAndDestroysTheKey() {
        sessions.start("s1", ID, "t1", NOW.plusSeconds(60), NOW);
        sessions.start("s2", ID, "t2", NOW.plusSeconds(60), NOW);

        fixture.given(registered())
                .when(new DeleteAccount(ID))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new SignedOut(ID, null, SignOutReason.ACCOUNT_DELETED, 2, NOW), new AccountDeleted(ID, NOW));

        assertThat(sessions.revoked).containsExactlyInAnyOrder("s1", "s2");
        assertThat(directory.findByHandle("alice")).isEmpty();
        assertThat(keys.destroyed).containsExactly(ID);
    }

    @Test
    void anAccountWithoutSessionsRecordsNoSignOut() {
        fixture.given(registered())
                .when(new DeleteAccount(ID))
                .expectEvents(new AccountDeleted(ID, NOW));
    }

    @Test
    void anAccountIsDeletedOnlyOnce() {
        fixture.given(registered(), new AccountDeleted(ID, NOW.minusSeconds(5)))
                .when(new DeleteAccount(ID))
                .expectException(AggregateDeletedException.class)
                .expectNoEvents();
        assertThat(keys.destroyed).isEmpty();
    }

    @Test
    void aDeletedAccountTakesNoOtherCommand() {
        fixture.given(registered(), new AccountDeleted(ID, NOW.minusSeconds(5)))
                .when(new ChangePrivacy(ID, LastSeenVisibility.NOBODY))
                .expectException(AggregateDeletedException.class)
                .expectNoEvents();
    }

    /** Records which keys the aggregate destroyed; the cipher itself is tested with the serializer module. */
    static final class DestroyedKeys implements DataKeys {
        final Set<String> destroyed = new LinkedHashSet<>();

        @Override
        public Optional<SecretKey> forWriting(String accountId) {
            return Optional.empty();
        }

        @Override
        public Optional<SecretKey> forReading(String accountId) {
            return Optional.empty();
        }

        @Override
        public void destroy(String accountId) {
            destroyed.add(accountId);
        }

        @Override
        public void evict(String accountId) {
        }
    }
}
