package io.parley.gateway.stomp;

import io.parley.projections.live.LiveQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import java.security.Principal;
import java.util.Map;

/**
 * The first interceptor of the client inbound channel, ahead of Spring Security's:
 * <ul>
 * <li>CONNECT must carry an access token ({@code Authorization: Bearer <jwt>} or the STOMP {@code passcode}
 * header, for clients that cannot set arbitrary headers); a missing or bad one is refused with an ERROR frame
 * and the connection closes. The principal's name is the account id (the token's subject), and it is the
 * authentication Spring Security's rules ({@link StompSecurityConfiguration}) then see.</li>
 * <li>A SUBSCRIBE or SEND those rules refuse is dropped and answered on {@code /user/queue/errors}; the
 * session stays open. The rules are asked here, before Spring Security's interceptor enforces them again:
 * that one refuses by throwing, and with per-session receive order a thrown exception is only logged as an
 * error, never answered.</li>
 * <li>RECEIPT frames: Spring's simple broker answers only DISCONNECT receipts, so this sends the RECEIPT for
 * SUBSCRIBE, UNSUBSCRIBE and SEND once the handler that makes the frame effective has run (the subscription
 * is registered, the SEND reached its controller), which is what a client waiting on a receipt relies on.</li>
 * <li>Limits and silent drops (issue 15): a SUBSCRIBE needs an id, a destination the session does not
 * subscribe yet and room under {@code chat.stomp.max-subscriptions}; a SEND must name an {@code /app}
 * destination a controller serves; ACK, NACK and transactions are not supported. Each refusal is answered on
 * {@code /user/queue/errors} and the session stays. Protocol errors end the session with an ERROR frame that
 * says what was wrong: a frame before CONNECT, a second CONNECT, an unsupported {@code accept-version}, more
 * than {@code chat.stomp.max-sessions-per-user} sessions.</li>
 * </ul>
 */
@Component
class StompInboundInterceptor implements ExecutorChannelInterceptor {
    private static final Logger log = LoggerFactory.getLogger(StompInboundInterceptor.class);

    private final JwtDecoder jwtDecoder;
    private final AuthorizationManager<Message<?>> rules;
    private final MessageChannel clientOutboundChannel;
    private final StompSender sender;
    private final StompSessionTokens tokens;
    private final SessionLimits limits;
    private final ObjectProvider<SimpAnnotationMethodMessageHandler> annotationHandler;
    private volatile java.util.SortedSet<String> appDestinations;
    private final Map<String, Principal> principals = new java.util.concurrent.ConcurrentHashMap<>();

    private static final String APP_PREFIX = "/app";
    private static final java.util.List<String> VERSIONS = java.util.List.of("1.2", "1.1", "1.0");

    StompInboundInterceptor(JwtDecoder jwtDecoder, AuthorizationManager<Message<?>> rules,
                            @Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
                            @Lazy StompSender sender, StompSessionTokens tokens, StompProperties properties,
                            ObjectProvider<SimpAnnotationMethodMessageHandler> annotationHandler) {
        this.limits = new SessionLimits(properties.maxSubscriptions(), properties.maxSessionsPerUser());
        this.annotationHandler = annotationHandler;
        this.jwtDecoder = jwtDecoder;
        this.tokens = tokens;
        this.rules = rules;
        this.clientOutboundChannel = clientOutboundChannel;
        this.sender = sender;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor == null || accessor.getCommand() == null) {
            return message;
        }
        StompCommand command = accessor.getCommand();
        String sessionId = accessor.getSessionId();
        if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
            return connect(accessor, message);
        }
        if (command == StompCommand.DISCONNECT) {
            limits.disconnected(sessionId);
            principals.remove(sessionId);
            return message;
        }
        Principal user = accessor.getUser();
        if (user == null && principals.containsKey(sessionId)) {
            // a frame the client sent before its CONNECTED arrived: Spring's handler took the (then unknown)
            // principal when it decoded the frame, but frames are handled in order, so CONNECT has run by now
            user = principals.get(sessionId);
            accessor.setUser(user);
        }
        if (user == null) {
            // STOMP 1.2: every frame but CONNECT needs a connected session; answered with an ERROR frame
            // (never silently dropped), and the socket closes
            refuse(accessor, "not connected: send CONNECT first (" + command + " before CONNECT)");
            return null;
        }
        if ((command == StompCommand.SUBSCRIBE || command == StompCommand.SEND) && tokens.isExpired(sessionId)) {
            // the expiry timer may not have run yet: an expired session does nothing more
            tokens.expireNow(sessionId);
            return null;
        }
        switch (command) {
            case SUBSCRIBE, SEND -> {
                if (!allowed(accessor, message)) {
                    sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS,
                            refusal(command, accessor.getDestination()));
                    return null;
                }
                Map<String, String> error = command == StompCommand.SUBSCRIBE ? subscribe(accessor) : send(accessor);
                if (error != null) {
                    sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, error);
                    return null;
                }
                return message;
            }
            case UNSUBSCRIBE -> {
                if (accessor.getSubscriptionId() != null) {
                    limits.unsubscribe(sessionId, accessor.getSubscriptionId());
                }
                return message;
            }
            case ACK, NACK, BEGIN, COMMIT, ABORT -> {
                // Spring's simple broker ignores these without a word; the client is told instead, and the
                // session stays (subscriptions are ack:auto, there are no transactions)
                sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, Map.of(
                        "type", "unsupported-frame",
                        "detail", command + " is not supported: subscriptions are ack:auto and there are no transactions",
                        "command", command.name()));
                return null;
            }
            default -> {
                return message;
            }
        }
    }

    private Message<?> connect(StompHeaderAccessor accessor, Message<?> message) {
        String sessionId = accessor.getSessionId();
        if (limits.isConnected(sessionId)) {
            refuse(accessor, "protocol error: this session is already connected (a second CONNECT)");
            return null;
        }
        java.util.Set<String> versions = accessor.getAcceptVersion();
        if (versions != null && !versions.isEmpty() && java.util.Collections.disjoint(versions, VERSIONS)) {
            refuse(accessor, "unsupported STOMP version " + String.join(",", versions)
                    + ": this server speaks " + String.join(",", VERSIONS));
            return null;
        }
        try {
            JwtAuthenticationToken user = authenticate(accessor);
            if (!limits.connect(user.getName(), sessionId)) {
                refuse(accessor, "too many sessions: at most " + limits.maxSessionsPerUser()
                        + " connected sessions per account; close one first");
                return null;
            }
            accessor.setUser(user);
            principals.put(sessionId, user);
            tokens.authenticated(sessionId, user.getToken());
            return message;
        } catch (StompErrors.Refused refused) {
            // answered here rather than thrown: with per-session receive order the frame is handled off
            // the socket's thread, where a thrown exception would never become an ERROR frame
            refuse(accessor, refused.getMessage());
            return null;
        }
    }

    /** A SUBSCRIBE the rules allow: it needs an id, a destination not yet subscribed, and room under the cap. */
    private Map<String, String> subscribe(StompHeaderAccessor accessor) {
        String destination = String.valueOf(accessor.getDestination());
        String id = accessor.getSubscriptionId();
        if (id == null || id.isBlank()) {
            return Map.of("type", "malformed-frame", "detail", "SUBSCRIBE needs an id header",
                    "destination", destination);
        }
        return switch (limits.subscribe(accessor.getSessionId(), id, destination)) {
            case ACCEPTED -> null;
            case DUPLICATE -> Map.of("type", "already-subscribed",
                    "detail", "this session already subscribes to this destination or uses this subscription id",
                    "destination", destination);
            case TOO_MANY -> Map.of("type", "too-many-subscriptions",
                    "detail", "at most " + limits.maxSubscriptions() + " subscriptions per session",
                    "destination", destination);
        };
    }

    /** A SEND the rules allow (an /app destination): it must name one of the controllers' destinations. */
    private Map<String, String> send(StompHeaderAccessor accessor) {
        String destination = String.valueOf(accessor.getDestination());
        if (!appDestinations().contains(destination)) {
            return Map.of("type", "unknown-destination",
                    "detail", "no such destination; you may send to " + String.join(", ", appDestinations()),
                    "destination", destination);
        }
        return null;
    }

    /** The {@code @MessageMapping} destinations, read from Spring's handler so a new one is known at once. */
    private java.util.SortedSet<String> appDestinations() {
        java.util.SortedSet<String> known = appDestinations;
        if (known == null) {
            known = new java.util.TreeSet<>();
            for (var mapping : annotationHandler.getObject().getHandlerMethods().keySet()) {
                for (String pattern : mapping.getDestinationConditions().getPatterns()) {
                    known.add(APP_PREFIX + pattern);
                }
            }
            appDestinations = java.util.Collections.unmodifiableSortedSet(known);
        }
        return known;
    }

    private boolean allowed(StompHeaderAccessor accessor, Message<?> message) {
        Authentication user = accessor.getUser() instanceof Authentication authentication ? authentication : null;
        AuthorizationResult result = rules.authorize(() -> user, message);
        return result != null && result.isGranted();
    }

    private static Map<String, String> refusal(StompCommand command, String destination) {
        return command == StompCommand.SUBSCRIBE
                ? Map.of("type", "subscription-refused",
                        "detail", "you may subscribe only to " + String.join(", ", StompSecurityConfiguration.SUBSCRIBABLE),
                        "destination", String.valueOf(destination))
                : Map.of("type", "send-refused",
                        "detail", "you may send only to /app destinations",
                        "destination", String.valueOf(destination));
    }

    /** An ERROR frame; Spring's STOMP handler closes the connection after sending it. */
    private void refuse(StompHeaderAccessor connect, String reason) {
        StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
        error.setMessage(reason);
        error.setSessionId(connect.getSessionId());
        if (connect.getReceipt() != null) {
            error.setReceiptId(connect.getReceipt());
        }
        error.setContentType(org.springframework.util.MimeTypeUtils.TEXT_PLAIN);
        clientOutboundChannel.send(MessageBuilder.createMessage(
                reason.getBytes(java.nio.charset.StandardCharsets.UTF_8), error.getMessageHeaders()));
    }

    private JwtAuthenticationToken authenticate(StompHeaderAccessor accessor) {
        String token = null;
        String authorization = accessor.getFirstNativeHeader("Authorization");
        if (authorization == null) {
            authorization = accessor.getFirstNativeHeader("authorization");
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).strip();
        } else if (accessor.getPasscode() != null && !accessor.getPasscode().isBlank()) {
            token = accessor.getPasscode().strip();
        }
        if (token == null || token.isEmpty()) {
            throw new StompErrors.Refused("unauthorized: CONNECT needs an access token (Authorization: Bearer <token> or passcode)");
        }
        try {
            var jwt = jwtDecoder.decode(token);
            return new JwtAuthenticationToken(jwt, StompAuthorities.of(jwt));
        } catch (JwtException e) {
            log.debug("STOMP CONNECT refused: {}", e.getMessage());
            throw new StompErrors.Refused("unauthorized: the access token is invalid or expired");
        }
    }

    @Override
    public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler, Exception ex) {
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor == null || accessor.getReceipt() == null || accessor.getCommand() == null) {
            return;
        }
        boolean effective = switch (accessor.getCommand()) {
            case SUBSCRIBE -> handler instanceof UserDestinationMessageHandler;
            case UNSUBSCRIBE -> handler instanceof AbstractBrokerMessageHandler;
            case SEND -> handler instanceof SimpAnnotationMethodMessageHandler;
            default -> false;
        };
        if (effective) {
            StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
            receipt.setReceiptId(accessor.getReceipt());
            receipt.setSessionId(accessor.getSessionId());
            clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], receipt.getMessageHeaders()));
        }
    }
}
