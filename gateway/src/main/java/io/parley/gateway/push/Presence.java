package io.parley.gateway.push;

/**
 * Whether a user has a live session, so a push would only duplicate what their screen already shows. In the
 * gateway this is the node's {@code SessionRegistry}; a seam of its own so the push pipeline can be driven alone.
 */
@FunctionalInterface
interface Presence {
    boolean isOnline(String userId);
}
