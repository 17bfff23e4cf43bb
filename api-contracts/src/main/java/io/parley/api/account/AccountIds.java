package io.parley.api.account;

import io.parley.api.common.CommandRejected;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The one shape of an account id: a UUID in its canonical lower-case text form, as the sign-up mints it
 * ({@code UUID.randomUUID().toString()}). Checked at every edge that takes an account id from a client (REST paths
 * and bodies, commands naming another account), before anything is stored: an id of another shape can never
 * name an account, and letting it through once made a group member id with U+0000 poison a projection for good
 * (issue 15, docs/design.md, section 3: validate before any event exists).
 */
public final class AccountIds {

    /** The problem code of a malformed id (400). */
    public static final String INVALID = "invalid-account-id";

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private AccountIds() {
    }

    /** True for a canonical lower-case UUID; null, upper-case, braces, blanks and anything longer are not. */
    public static boolean isValid(String accountId) {
        return accountId != null && accountId.length() == 36 && CANONICAL.matcher(accountId).matches();
    }

    /**
     * @param field what the client called it ({@code peerId}, {@code memberIds}, ...), for the detail
     * @return the id, unchanged
     * @throws CommandRejected {@code invalid-account-id} (400) when it is not a canonical lower-case UUID
     */
    public static String require(String accountId, String field) {
        if (!isValid(accountId)) {
            throw CommandRejected.invalid(INVALID, field + " must be an account id (a lower-case UUID)");
        }
        return accountId;
    }

    /** Every id of the collection, as {@link #require(String, String)}; a null collection counts as empty. */
    public static void requireAll(Collection<String> accountIds, String field) {
        if (accountIds != null) {
            accountIds.forEach(id -> require(id, field));
        }
    }
}
