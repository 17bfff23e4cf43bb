package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * A group's invite links by the SHA-256 of their token (the token itself is never stored): limits, uses so far
 * and whether an admin revoked it. Part of the Conversation aggregate's state (snapshotted with it by Jackson).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
final class Invites {
    private LinkedHashMap<String, Invite> byHash = new LinkedHashMap<>();

    /** {@code maxUses} null: unlimited; {@code expiresAt} null: never. */
    record Invite(Integer maxUses, Instant expiresAt, int uses, boolean revoked) {
    }

    boolean exists(String hash) {
        return hash != null && byHash.containsKey(hash);
    }

    Invite require(String hash) {
        Invite invite = hash == null ? null : byHash.get(hash);
        if (invite == null) {
            throw Rejection.INVITE_NOT_FOUND.because("no such invite");
        }
        return invite;
    }

    /** The invite lets one more account in at {@code now}, else the refusal saying why not. */
    Invite requireUsable(String hash, Instant now) {
        Invite invite = require(hash);
        if (invite.revoked()) {
            throw Rejection.INVITE_REVOKED.because("this invite was revoked");
        }
        if (invite.expiresAt() != null && !now.isBefore(invite.expiresAt())) {
            throw Rejection.INVITE_EXPIRED.because("this invite expired at " + invite.expiresAt());
        }
        if (invite.maxUses() != null && invite.uses() >= invite.maxUses()) {
            throw Rejection.INVITE_USED_UP.because("this invite was used " + invite.uses() + " times, its limit");
        }
        return invite;
    }

    // ---------------------------------------------------------------- state changes (event sourcing only)

    void created(String hash, Integer maxUses, Instant expiresAt) {
        byHash.put(hash, new Invite(maxUses, expiresAt, 0, false));
    }

    void revoked(String hash) {
        byHash.computeIfPresent(hash, (k, i) -> new Invite(i.maxUses(), i.expiresAt(), i.uses(), true));
    }

    void used(String hash) {
        byHash.computeIfPresent(hash, (k, i) -> new Invite(i.maxUses(), i.expiresAt(), i.uses() + 1, i.revoked()));
    }
}
