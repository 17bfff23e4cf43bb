package io.parley.projections.account;

import io.parley.api.account.DevicePlatform;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One account in the {@code accounts} read model ({@code _id} = account id): the profile, the last-seen
 * privacy choice, the push devices by device id and the blocked list (whom, since when), oldest block first.
 * Stored by {@link AccountCodec}.
 */
public record AccountDocument(String id, String handle, String displayName, Set<Role> roles,
                              LastSeenVisibility lastSeen, Instant registeredAt, Map<String, Device> devices,
                              List<Block> blocked) {

    /** {@code at} is null only for a block read from a document older than block times. */
    public record Block(String userId, Instant at) {
    }

    public boolean blocks(String userId) {
        return blocked.stream().anyMatch(b -> b.userId().equals(userId));
    }

    public record Device(DevicePlatform platform, String token, Instant registeredAt) {
    }
}
