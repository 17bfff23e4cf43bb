package io.parley.query.presence;

import java.time.Instant;

/**
 * One user's last seen in the {@code presence} collection ({@code _id} = user id), written by
 * {@link PresenceService} only. Stored by {@link LastSeenCodec}.
 */
record LastSeen(String userId, Instant at) {
}
