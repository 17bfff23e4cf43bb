package io.parley.gateway.stomp;

import io.parley.gateway.security.TokenService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * A STOMP session lives only as long as the access token it connected (or last renewed) with: when the
 * token expires, the session gets an ERROR frame {@code token-expired} and Spring closes the connection
 * (docs/design.md, section 5). A client keeps its session by sending a fresh access token, obtained with its
 * refresh token, to {@code /app/session.token} before the current one expires ({@link SessionTokenController}).
 * <p>
 * One timer per session, at its token's expiry; every SEND and SUBSCRIBE is also checked, so a late timer
 * never lets an expired session act.
 */
@Component
class StompSessionTokens {
    static final String EXPIRED = "token-expired: the access token of this session expired; reconnect with a"
            + " fresh one, or renew it before it expires by a SEND to /app/session.token";

    /** {@code signInSession}: the {@code sid} of the token, null for a token minted before access tokens had one */
    private record Expiry(String subject, String signInSession, Instant at, ScheduledFuture<?> timer) {
    }

    private final ConcurrentHashMap<String, Expiry> sessions = new ConcurrentHashMap<>();
    private final StompTimers timers;
    private final MessageChannel clientOutboundChannel;
    private final Clock clock;

    StompSessionTokens(StompTimers timers, @Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
                       Clock clock) {
        this.timers = timers;
        this.clientOutboundChannel = clientOutboundChannel;
        this.clock = clock;
    }

    /** The session authenticated with {@code token}, at CONNECT or by a renewal of the same account. */
    void authenticated(String sessionId, Jwt token) {
        Instant at = token.getExpiresAt() == null ? Instant.MAX : token.getExpiresAt();
        ScheduledFuture<?> timer = at == Instant.MAX ? null : timers.scheduler().schedule(() -> expire(sessionId, at), at);
        Expiry previous = sessions.put(sessionId, new Expiry(token.getSubject(),
                token.getClaimAsString(TokenService.SESSION), at, timer));
        cancel(previous);
    }

    /** The account the session belongs to (null when unknown). */
    String subject(String sessionId) {
        Expiry expiry = sessions.get(sessionId);
        return expiry == null ? null : expiry.subject();
    }

    boolean isExpired(String sessionId) {
        Expiry expiry = sessions.get(sessionId);
        return expiry != null && !clock.instant().isBefore(expiry.at());
    }

    /** Tells the client why and ends the session (Spring closes the connection after an ERROR frame). */
    void expire(String sessionId, Instant at) {
        Expiry expiry = sessions.get(sessionId);
        if (expiry == null || !expiry.at().equals(at)) {
            return; // renewed meanwhile, or gone
        }
        if (sessions.remove(sessionId, expiry)) {
            cancel(expiry);
            error(sessionId, EXPIRED);
        }
    }

    /** Ends every session of the account on this node with an ERROR frame saying {@code message}. */
    void endAll(String accountId, String message) {
        sessions.forEach((sessionId, expiry) -> {
            if (expiry.subject().equals(accountId) && sessions.remove(sessionId, expiry)) {
                cancel(expiry);
                error(sessionId, message);
            }
        });
    }

    /**
     * Ends the sessions on this node whose current access token belongs to the sign-in session
     * {@code signInSession} of the account, with an ERROR frame saying {@code message}.
     */
    void endSignIn(String accountId, String signInSession, String message) {
        sessions.forEach((sessionId, expiry) -> {
            if (expiry.subject().equals(accountId) && signInSession.equals(expiry.signInSession())
                    && sessions.remove(sessionId, expiry)) {
                cancel(expiry);
                error(sessionId, message);
            }
        });
    }

    private void error(String sessionId, String message) {
        StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
        error.setMessage(message);
        error.setSessionId(sessionId);
        error.setContentType(MimeTypeUtils.TEXT_PLAIN);
        clientOutboundChannel.send(MessageBuilder.createMessage(message.getBytes(StandardCharsets.UTF_8),
                error.getMessageHeaders()));
    }

    void expireNow(String sessionId) {
        Expiry expiry = sessions.get(sessionId);
        if (expiry != null) {
            expire(sessionId, expiry.at());
        }
    }

    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        cancel(sessions.remove(event.getSessionId()));
    }

    private static void cancel(Expiry expiry) {
        if (expiry != null && expiry.timer() != null) {
            expiry.timer().cancel(false);
        }
    }
}
