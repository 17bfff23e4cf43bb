package io.parley.gateway.stomp;

import io.parley.query.presence.SessionRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import java.security.Principal;

/** Tells the node's {@link SessionRegistry} when an authenticated STOMP session opens or closes. */
@Component
class StompSessionEvents {
    private final SessionRegistry sessions;

    StompSessionEvents(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @EventListener
    void connected(SessionConnectedEvent event) {
        Principal user = event.getUser();
        String sessionId = SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
        if (user != null && sessionId != null) {
            sessions.opened(user.getName(), sessionId);
        }
    }

    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        Principal user = event.getUser();
        if (user != null) {
            sessions.closed(user.getName(), event.getSessionId());
        }
    }
}
