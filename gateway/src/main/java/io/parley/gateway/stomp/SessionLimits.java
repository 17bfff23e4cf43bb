package io.parley.gateway.stomp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-session and per-user STOMP limits (issue 15, "No subscription cap"): at most
 * {@code maxSubscriptions} subscriptions per session, never two to the same destination (400 duplicate
 * SUBSCRIBEs used to deliver one message 401 times), and at most {@code maxSessionsPerUser} connected
 * sessions per account. In memory, per node: a session lives on one node, and the per-user cap bounds what
 * one account can hold open on a node (docs/design.md, section 5).
 */
final class SessionLimits {

    enum Subscribe { ACCEPTED, DUPLICATE, TOO_MANY }

    private final int maxSubscriptions;
    private final int maxSessionsPerUser;
    /** session id -> (subscription id -> destination) */
    private final Map<String, Map<String, String>> subscriptions = new ConcurrentHashMap<>();
    /** user id -> session ids */
    private final Map<String, Set<String>> sessions = new ConcurrentHashMap<>();
    /** session id -> user id, for the sessions that completed CONNECT */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    SessionLimits(int maxSubscriptions, int maxSessionsPerUser) {
        this.maxSubscriptions = maxSubscriptions;
        this.maxSessionsPerUser = maxSessionsPerUser;
    }

    /** Whether this session already completed a CONNECT (a second one is a protocol error). */
    boolean isConnected(String sessionId) {
        return owners.containsKey(sessionId);
    }

    /** Registers a CONNECT; false when the user already has the maximum of sessions open. */
    boolean connect(String userId, String sessionId) {
        boolean[] accepted = {false};
        sessions.compute(userId, (user, open) -> {
            Set<String> set = open == null ? ConcurrentHashMap.newKeySet() : open;
            if (set.contains(sessionId) || set.size() < maxSessionsPerUser) {
                set.add(sessionId);
                accepted[0] = true;
            }
            return set.isEmpty() ? null : set;
        });
        if (accepted[0]) {
            owners.put(sessionId, userId);
        }
        return accepted[0];
    }

    Subscribe subscribe(String sessionId, String subscriptionId, String destination) {
        Subscribe[] outcome = {Subscribe.ACCEPTED};
        subscriptions.compute(sessionId, (session, current) -> {
            Map<String, String> map = current == null ? new LinkedHashMap<>() : current;
            if (map.containsKey(subscriptionId) || map.containsValue(destination)) {
                outcome[0] = Subscribe.DUPLICATE;
            } else if (map.size() >= maxSubscriptions) {
                outcome[0] = Subscribe.TOO_MANY;
            } else {
                map.put(subscriptionId, destination);
            }
            return map;
        });
        return outcome[0];
    }

    void unsubscribe(String sessionId, String subscriptionId) {
        subscriptions.computeIfPresent(sessionId, (session, map) -> {
            map.remove(subscriptionId);
            return map;
        });
    }

    /** The session ended (DISCONNECT frame or closed socket): forget it. */
    void disconnected(String sessionId) {
        subscriptions.remove(sessionId);
        String user = owners.remove(sessionId);
        if (user != null) {
            sessions.computeIfPresent(user, (u, set) -> {
                set.remove(sessionId);
                return set.isEmpty() ? null : set;
            });
        }
    }

    int maxSubscriptions() {
        return maxSubscriptions;
    }

    int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }
}
