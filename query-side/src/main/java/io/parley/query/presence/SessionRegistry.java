package io.parley.query.presence;

import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Which users hold a live session on this node: a user is online while at least one of their sessions is
 * open. Presence, push (skip online users) and typing read it; it is memory only on purpose, since a node only
 * knows its own sockets and a restart drops them all anyway. The transport adapter reports sessions opening
 * and closing ({@link #opened}, {@link #closed}).
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

    /** An authenticated session of {@code userId} opened on this node. */
    public void opened(String userId, String sessionId) {
        boolean[] first = {false};
        sessionsByUser.compute(userId, (id, sessions) -> {
            Set<String> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            first[0] = set.isEmpty();
            set.add(sessionId);
            return set;
        });
        if (first[0]) {
            listeners.forEach(l -> l.accept(userId, true));
        }
    }

    /** A session of {@code userId} closed; unknown sessions are ignored. */
    public void closed(String userId, String sessionId) {
        boolean[] last = {false};
        sessionsByUser.computeIfPresent(userId, (id, sessions) -> {
            boolean removed = sessions.remove(sessionId);
            last[0] = removed && sessions.isEmpty();
            return sessions.isEmpty() ? null : sessions;
        });
        if (last[0]) {
            listeners.forEach(l -> l.accept(userId, false));
        }
    }
}
