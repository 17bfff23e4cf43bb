package io.parley.query.presence;

import java.util.function.Consumer;

/**
 * Who is online anywhere: the view presence answers and push decisions read. With one node it is this node's
 * {@link SessionRegistry}; with several ({@code chat.cluster.enabled}) a shared record every node writes its
 * users' first and last sessions into and renews with a heartbeat, so a user connected only to another node is
 * online here too, and the users of a node that died go offline once its heartbeat expires.
 */
public interface PresenceDirectory {

    /** Whether {@code userId} holds a live session on any node. */
    boolean isOnline(String userId);

    /** This node's first session of {@code userId} opened ({@code true}) or its last one closed. */
    void changedHere(String userId, boolean online);

    /**
     * Told the id of a user whose sessions changed on another node, or whose node died: the listener reads
     * {@link #isOnline} again and tells this node's viewers.
     */
    void onChangeElsewhere(Consumer<String> listener);
}
