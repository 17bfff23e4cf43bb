package io.parley.gateway.presence;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Which users hold a live STOMP session on this node: a user is online while at least one of their sessions
 * is open. Presence, push (skip online users) and typing read it; it is memory only on purpose, since a node
 * only knows its own sockets and a restart drops them all anyway.
 */
@Component
public class SessionRegistry {

    private final Map<String, Set<String>> sessionsByUser = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<String, Boolean>> listeners = new CopyOnWriteArrayList<>();

    public boolean isOnline(String userId) {
        Set<String> sessions = sessionsByUser.get(userId);
        return sessions != null && !sessions.isEmpty();
    }

    public int sessionCount(String userId) {
        Set<String> sessions = sessionsByUser.get(userId);
        return sessions == null ? 0 : sessions.size();
    }

    public int onlineUsers() {
        return sessionsByUser.size();
    }

    /** Told (userId, online) when a user's first session opens or last session closes. */
    public void onChange(BiConsumer<String, Boolean> listener) {
        listeners.add(listener);
    }

    @EventListener
    void connected(SessionConnectedEvent event) {
        Principal user = event.getUser();
        String sessionId = (String) event.getMessage().getHeaders().get("simpSessionId");
        if (user == null || sessionId == null) {
            return;
        }
        boolean[] first = {false};
        sessionsByUser.compute(user.getName(), (id, sessions) -> {
            Set<String> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            first[0] = set.isEmpty();
            set.add(sessionId);
            return set;
        });
        if (first[0]) {
            listeners.forEach(l -> l.accept(user.getName(), true));
        }
    }

    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        Principal user = event.getUser();
        if (user == null) {
            return;
        }
        boolean[] last = {false};
        sessionsByUser.computeIfPresent(user.getName(), (id, sessions) -> {
            boolean removed = sessions.remove(event.getSessionId());
            last[0] = removed && sessions.isEmpty();
            return sessions.isEmpty() ? null : sessions;
        });
        if (last[0]) {
            listeners.forEach(l -> l.accept(user.getName(), false));
        }
    }
}
