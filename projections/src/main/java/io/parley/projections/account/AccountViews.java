package io.parley.projections.account;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Typed reads of the {@code accounts} read model: by {@code _id}, {@code $in}, and the people finder's prefix. */
@Component
public class AccountViews {
    private final MongoCollection<AccountDocument> accounts;

    public AccountViews(MongoDatabase database) {
        this.accounts = AccountCodec.collection(database);
    }

    public Optional<AccountDocument> account(String accountId) {
        return accountId == null ? Optional.empty()
                : Optional.ofNullable(accounts.find(Filters.eq("_id", accountId)).first());
    }

    /** Accounts by id, one {@code $in}; unknown ids are absent from the answer. */
    public List<AccountDocument> accounts(Collection<String> accountIds) {
        List<AccountDocument> found = new ArrayList<>();
        if (!accountIds.isEmpty()) {
            accounts.find(Filters.in("_id", new ArrayList<>(accountIds))).forEach(found::add);
        }
        return found;
    }

    /** Up to {@code limit} accounts {@code requesterId} may find by this prefix ({@link AccountCodec#findable}), by handle. */
    public List<AccountDocument> findable(String prefix, String requesterId, Collection<String> hidden, int limit) {
        List<AccountDocument> found = new ArrayList<>();
        accounts.find(AccountCodec.findable(prefix, requesterId, hidden)).sort(AccountCodec.byHandle()).limit(limit)
                .forEach(found::add);
        return found;
    }
}
