package io.parley.projections.push;

/**
 * Whether a user has a live session, so a push would only duplicate what their screen already shows. The push
 * feature's own port: whatever tracks sessions (the gateway's) provides it as a bean, and a test drives the
 * pipeline with a plain set.
 */
@FunctionalInterface
public interface Presence {
    boolean isOnline(String userId);
}
