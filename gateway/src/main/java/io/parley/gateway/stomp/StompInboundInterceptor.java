package io.parley.gateway.stomp;

import io.parley.projections.live.LiveQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    StompInboundInterceptor(JwtDecoder jwtDecoder, AuthorizationManager<Message<?>> rules,
                            @Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
                            @Lazy StompSender sender, StompSessionTokens tokens) {
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
        if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
            try {
                JwtAuthenticationToken user = authenticate(accessor);
                accessor.setUser(user);
                tokens.authenticated(accessor.getSessionId(), user.getToken());
                return message;
            } catch (StompErrors.Refused refused) {
                // answered here rather than thrown: with per-session receive order the frame is handled off
                // the socket's thread, where a thrown exception would never become an ERROR frame
                refuse(accessor, refused.getMessage());
                return null;
            }
        }
        if ((command == StompCommand.SUBSCRIBE || command == StompCommand.SEND)
                && tokens.isExpired(accessor.getSessionId())) {
            // the expiry timer may not have run yet: an expired session does nothing more
            tokens.expireNow(accessor.getSessionId());
            return null;
        }
        if ((command == StompCommand.SUBSCRIBE || command == StompCommand.SEND) && !allowed(accessor, message)) {
            Principal user = accessor.getUser();
            if (user != null) {
                sender.toSession(user.getName(), accessor.getSessionId(), LiveQueue.ERRORS,
                        refusal(command, accessor.getDestination()));
            }
            return null;
        }
        return message;
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
