package io.parley.gateway.stomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.projections.live.LiveQueue;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Controller;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;

/**
 * {@code SEND /app/session.token} with body {@code {"accessToken": "<jwt>"}}: renews the session's access
 * token without reconnecting ({@link StompSessionTokens}). The token must be a valid access token of the
 * session's own account; anything else is answered on {@code /user/queue/errors} ({@code token-refused}) and
 * leaves the current expiry as it was. A {@code receipt} header on the SEND confirms a renewal.
 */
@Controller
class SessionTokenController {
    private final JwtDecoder accessTokens;
    private final StompSessionTokens tokens;
    private final StompSender sender;
    private final ObjectMapper json;

    SessionTokenController(JwtDecoder accessTokens, StompSessionTokens tokens, StompSender sender, ObjectMapper json) {
        this.accessTokens = accessTokens;
        this.tokens = tokens;
        this.sender = sender;
        this.json = json;
    }

    @MessageMapping("/session.token")
    void renew(@Payload(required = false) byte[] body, Principal user, @Header(SimpMessageHeaderAccessor.SESSION_ID_HEADER) String sessionId) {
        String token = accessToken(body);
        if (token == null) {
            refuse(user, sessionId, "the body must be {\"accessToken\": \"<access token>\"}");
            return;
        }
        Jwt jwt;
        try {
            jwt = accessTokens.decode(token);
        } catch (JwtException e) {
            refuse(user, sessionId, "the access token is invalid or expired");
            return;
        }
        if (!user.getName().equals(jwt.getSubject())) {
            refuse(user, sessionId, "the access token belongs to another account");
            return;
        }
        tokens.authenticated(sessionId, jwt);
    }

    private String accessToken(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            JsonNode token = node == null ? null : node.get("accessToken");
            return token != null && token.isTextual() && !token.asText().isBlank() ? token.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void refuse(Principal user, String sessionId, String detail) {
        sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS,
                Map.of("type", CommandErrors.type("token-refused"), "detail", detail, "destination", "/app/session.token"));
    }
}
