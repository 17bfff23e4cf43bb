package io.parley.query.account;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.parley.api.account.AccountQueries.AccountQuery;
import io.parley.api.account.AccountQueries.AccountView;
import io.parley.api.account.AccountQueries.AccountsQuery;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import io.parley.projections.account.AccountProjection;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** Answers profile lookups from the {@code accounts} read model, by {@code _id} or {@code $in} only. */
@Component
class AccountQueryHandler {

    private final MongoCollection<Document> accounts;

    AccountQueryHandler(MongoDatabase database) {
        this.accounts = database.getCollection(AccountProjection.COLLECTION);
    }

    @QueryHandler
    Optional<AccountView> handle(AccountQuery query) {
        return Optional.ofNullable(accounts.find(Filters.eq("_id", query.accountId())).first())
                .map(AccountQueryHandler::toView);
    }

    @QueryHandler
    List<AccountView> handle(AccountsQuery query) {
        List<AccountView> views = new ArrayList<>();
        accounts.find(Filters.in("_id", query.accountIds())).forEach(doc -> views.add(toView(doc)));
        return views;
    }

    private static AccountView toView(Document doc) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        doc.getList("roles", String.class, List.of()).forEach(r -> roles.add(Role.valueOf(r)));
        return new AccountView(doc.getString("_id"), doc.getString("handle"), doc.getString("displayName"), roles,
                LastSeenVisibility.valueOf(doc.get("lastSeen", "EVERYONE")));
    }
}
