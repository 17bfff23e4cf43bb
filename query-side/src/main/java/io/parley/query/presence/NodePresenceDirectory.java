package io.parley.query.presence;

import java.util.function.Consumer;

/**
 * One node: online means a live session on this node, and there is no elsewhere. {@link PresenceService} uses it
 * when the application declares no other {@link PresenceDirectory}.
 */
class NodePresenceDirectory implements PresenceDirectory {

    private final SessionRegistry sessions;

    NodePresenceDirectory(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean isOnline(String userId) {
        return sessions.isOnline(userId);
    }

    @Override
    public void changedHere(String userId, boolean online) {
    }

    @Override
    public void onChangeElsewhere(Consumer<String> listener) {
    }
}
