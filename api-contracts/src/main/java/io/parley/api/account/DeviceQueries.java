package io.parley.api.account;

import java.time.Instant;

/** The push devices of one account, as its owner lists them. */
public final class DeviceQueries {
    private DeviceQueries() {
    }

    /** Answered with a list of {@link DeviceView}, oldest registration first. */
    public record DevicesQuery(String accountId) {
    }

    public record DeviceView(String id, DevicePlatform platform, String token, Instant registeredAt) {
    }
}
