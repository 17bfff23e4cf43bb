package io.parley.gateway.security;

import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountReinstated;
import io.parley.api.account.AccountEvents.AccountSuspended;
import io.parley.api.privacy.DataKeys;
import io.parley.command.account.AccountDirectory;
import io.parley.command.privacy.DeletedAccounts;
import io.parley.projections.live.LiveDeliveryConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The suspended accounts, in memory on every node, so access tokens already issued to one stop working at once
 * (REST 401, STOMP CONNECT and token renewal refused) without a database read per request. Loaded from the
 * {@code credentials} table at start; the suspension events keep it current through the in-memory live-delivery
 * processor, which starts at the head of the stream once the context is up (a suspension committed in between is
 * caught by the sign-in and refresh checks, which read the table). Deleted accounts (README, Account deletion) are
 * refused the same way, for good: loaded from the destroyed data keys, kept current by {@code AccountDeleted}, which
 * also drops this node's cached copy of the key.
 */
@Component
@ProcessingGroup(LiveDeliveryConfiguration.PROCESSING_GROUP)
public class SuspendedAccounts implements OAuth2TokenValidator<Jwt> {
    private static final OAuth2Error SUSPENDED = new OAuth2Error("invalid_token", "This account is suspended", null);

    private static final OAuth2Error DELETED = new OAuth2Error("invalid_token", "This account was deleted", null);

    private final Set<String> suspended = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final DataKeys keys;

    SuspendedAccounts(AccountDirectory directory, DeletedAccounts deletedAccounts, DataKeys keys) {
        this.keys = keys;
        suspended.addAll(directory.suspended());
        deleted.addAll(deletedAccounts.all());
    }

    public boolean isSuspended(String accountId) {
        return accountId != null && suspended.contains(accountId);
    }

    public boolean isDeleted(String accountId) {
        return accountId != null && deleted.contains(accountId);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        if (isDeleted(token.getSubject())) {
            return OAuth2TokenValidatorResult.failure(DELETED);
        }
        return isSuspended(token.getSubject()) ? OAuth2TokenValidatorResult.failure(SUSPENDED)
                : OAuth2TokenValidatorResult.success();
    }

    @EventHandler
    void on(AccountDeleted event) {
        deleted.add(event.accountId());
        keys.evict(event.accountId());
    }

    @EventHandler
    void on(AccountSuspended event) {
        suspended.add(event.accountId());
    }

    @EventHandler
    void on(AccountReinstated event) {
        suspended.remove(event.accountId());
    }
}
