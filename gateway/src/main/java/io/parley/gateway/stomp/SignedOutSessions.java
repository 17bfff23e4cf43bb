package io.parley.gateway.stomp;

import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.SignOutReason;
import io.parley.projections.live.LiveDeliveryConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * A sign-out closes the live STOMP sessions opened with the sign-in sessions it ended, on every node, as a
 * suspension does ({@link SuspendedSessions}): each node's live-delivery processor sees the {@code SignedOut}
 * and ends the sessions it holds with an ERROR frame that says why. One sign-in session ended (sign-out, logout,
 * {@code DELETE /api/me/sessions/{id}}, a reused refresh token): the STOMP sessions whose access token carries its
 * {@code sid}; every one (sign-out everywhere, a password change): all of the account's. The suspension's own
 * handler has closed them already when the reason is SUSPENDED.
 */
@Component
@ProcessingGroup(LiveDeliveryConfiguration.PROCESSING_GROUP)
class SignedOutSessions {
    static final String SIGNED_OUT = "signed-out: the sign-in session of this connection was ended";

    private final StompSessionTokens tokens;

    SignedOutSessions(StompSessionTokens tokens) {
        this.tokens = tokens;
    }

    @EventHandler
    void on(SignedOut event) {
        if (event.reason() == SignOutReason.SUSPENDED) {
            return;
        }
        String message = SIGNED_OUT + " (" + event.reason() + ")";
        if (event.sessionId() == null) {
            tokens.endAll(event.accountId(), message);
        } else {
            tokens.endSignIn(event.accountId(), event.sessionId(), message);
        }
    }
}
