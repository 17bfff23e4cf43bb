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
 * privacy choice, the push devices by device id and the blocked list. Stored by {@link AccountCodec}.
 */
public record AccountDocument(String id, String handle, String displayName, Set<Role> roles,
                              LastSeenVisibility lastSeen, Instant registeredAt, Map<String, Device> devices,
                              List<String> blocked) {

    public record Device(DevicePlatform platform, String token, Instant registeredAt) {
    }
}
