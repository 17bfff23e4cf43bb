package io.parley.gateway.stomp;

import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountSuspended;
import io.parley.projections.live.LiveDeliveryConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * A suspension closes the account's live sessions on every node (README, Reports and moderation): each node's
 * live-delivery processor sees the event and ends the sessions it holds; a new CONNECT is refused by the access
 * token check ({@code SuspendedAccounts}). A deletion closes them the same way.
 */
@Component
@ProcessingGroup(LiveDeliveryConfiguration.PROCESSING_GROUP)
class SuspendedSessions {
    static final String SUSPENDED = "account-suspended: this account was suspended";
    static final String DELETED = "account-deleted: this account was deleted";

    private final StompSessionTokens tokens;

    SuspendedSessions(StompSessionTokens tokens) {
        this.tokens = tokens;
    }

    @EventHandler
    void on(AccountSuspended event) {
        tokens.endAll(event.accountId(), SUSPENDED);
    }

    @EventHandler
    void on(AccountDeleted event) {
        tokens.endAll(event.accountId(), DELETED);
    }
}
