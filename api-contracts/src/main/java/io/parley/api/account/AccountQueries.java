package io.parley.api.account;

import java.time.Instant;
import java.util.List;
import java.util.Set;

public final class AccountQueries {
    private AccountQueries() {
    }

    /** One account's public profile, by id. */
    public record AccountQuery(String accountId) {
    }

    public record AccountView(String id, String handle, String displayName, Set<Role> roles,
                              LastSeenVisibility lastSeen) {
    }

    /** Several profiles at once (an {@code $in} over ids), for member lists and message senders. */
    public record AccountsQuery(List<String> accountIds) {
    }

    /**
     * People finder: up to {@code limit} accounts whose handle, or a word of whose display name, starts with
     * {@code prefix} (case-insensitive), by handle; never {@code requesterId} itself nor an account that blocked
     * {@code requesterId}, nor one of {@code hidden} (the suspended accounts, which the accounts read model does
     * not hold). Answered as {@code List<AccountView>}.
     */
    public record AccountSearchQuery(String prefix, String requesterId, Set<String> hidden, int limit) {
        public AccountSearchQuery {
            hidden = hidden == null ? Set.of() : Set.copyOf(hidden);
        }
    }

    /** The accounts {@code accountId} blocked, oldest block first; answered as {@code List<BlockedAccount>}. */
    public record BlockedAccountsQuery(String accountId) {
    }

    /** {@code at} is null only for a block recorded before block times were kept. */
    public record BlockedAccount(String userId, Instant at) {
    }
}
