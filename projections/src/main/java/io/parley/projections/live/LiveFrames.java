package io.parley.projections.live;

import java.util.Collection;
import java.util.List;

/**
 * The port through which features push frames to connected users, implemented by the transport adapter (the
 * gateway's STOMP layer). Features know users and queues, never sessions, destinations or the protocol.
 * Delivery is best effort: users without a session on this node are skipped, and one recipient's failure
 * never costs the others their frame (clients catch up through sync).
 */
public interface LiveFrames {

    /** Whether the user holds a session on this node (no frame is built for users who are not). */
    boolean isConnected(String userId);

    /** To every session of every user in {@code userIds} connected to this node; the frame is serialized once. */
    void toUsers(Collection<String> userIds, LiveQueue queue, Object frame);

    default void toUser(String userId, LiveQueue queue, Object frame) {
        toUsers(List.of(userId), queue, frame);
    }
}
