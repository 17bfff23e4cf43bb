package io.parley.query.account;

import io.parley.api.account.AccountQueries.AccountQuery;
import io.parley.api.account.AccountQueries.AccountSearchQuery;
import io.parley.api.account.AccountQueries.AccountView;
import io.parley.api.account.AccountQueries.AccountsQuery;
import io.parley.api.account.AccountQueries.BlockedAccount;
import io.parley.api.account.AccountQueries.BlockedAccountsQuery;
import io.parley.api.account.Role;
import io.parley.projections.account.AccountDocument;
import io.parley.projections.account.AccountViews;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** Answers profile lookups from the {@code accounts} read model: by {@code _id}, {@code $in}, and the people finder. */
@Component
class AccountQueryHandler {

    private final AccountViews accounts;

    AccountQueryHandler(AccountViews accounts) {
        this.accounts = accounts;
    }

    @QueryHandler
    Optional<AccountView> handle(AccountQuery query) {
        return accounts.account(query.accountId()).map(AccountQueryHandler::toView);
    }

    @QueryHandler
    List<AccountView> handle(AccountsQuery query) {
        return accounts.accounts(query.accountIds()).stream().map(AccountQueryHandler::toView).toList();
    }

    @QueryHandler
    List<AccountView> handle(AccountSearchQuery query) {
        return accounts.findable(query.prefix(), query.requesterId(), query.hidden(), query.limit()).stream()
                .map(AccountQueryHandler::toView).toList();
    }

    @QueryHandler
    List<BlockedAccount> handle(BlockedAccountsQuery query) {
        return accounts.account(query.accountId()).map(AccountDocument::blocked).orElse(List.of()).stream()
                .map(b -> new BlockedAccount(b.userId(), b.at())).toList();
    }

    private static AccountView toView(AccountDocument doc) {
        return new AccountView(doc.id(), doc.handle(), doc.displayName(),
                doc.roles().isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(doc.roles()),
                doc.lastSeen());
    }
}
