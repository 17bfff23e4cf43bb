package io.parley.gateway.web.account;

import io.parley.api.account.AccountQueries.AccountSearchQuery;
import io.parley.api.account.AccountQueries.AccountView;
import io.parley.command.account.AccountDirectory;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.List;

/**
 * The people finder behind "new chat" and "add member": any signed-in user finds others by the start of their
 * handle or of a word of their display name, as a phone's contact picker does. It lists only what
 * {@code by-handle} shows ({id, handle, displayName}), never the caller, an account that blocked the caller
 * (being found by them would tell the blocked one nothing they could use, but the blocker chose not to be
 * reached) or a suspended account.
 */
@RestController
@Tag(name = "accounts")
class UserSearchController {
    static final int LIMIT = 20;
    static final int LONGEST_QUERY = 64;

    private final QueryGateway queries;
    private final AccountDirectory directory;

    UserSearchController(QueryGateway queries, AccountDirectory directory) {
        this.queries = queries;
        this.directory = directory;
    }

    @GetMapping("/api/users")
    @Operation(summary = "Find people: up to 20 {id, handle, displayName} whose handle or a word of whose display"
            + " name starts with query (case-insensitive), by handle")
    List<AccountController.UserProfile> find(@RequestParam String query, Principal me) {
        String prefix = query.strip();
        if (prefix.startsWith("@")) {
            prefix = prefix.substring(1);
        }
        if (prefix.isEmpty() || prefix.length() > LONGEST_QUERY) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-parameter",
                    "query must hold 1 to " + LONGEST_QUERY + " characters (a leading @ is ignored)");
        }
        // suspended accounts live in the credentials table, not the accounts read model: few, read in one go
        List<AccountView> found = queries.query(new AccountSearchQuery(prefix, me.getName(), directory.suspended(),
                LIMIT), ResponseTypes.multipleInstancesOf(AccountView.class)).join();
        return found.stream().map(v -> new AccountController.UserProfile(v.id(), v.handle(), v.displayName())).toList();
    }
}
