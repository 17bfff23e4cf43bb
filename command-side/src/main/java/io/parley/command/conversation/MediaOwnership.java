package io.parley.command.conversation;

import io.parley.api.media.MediaRef;

import java.util.Optional;

/**
 * Implemented by the media feature: a message may only carry a file its sender uploaded.
 * Without an implementation in the context, media messages are refused (fail closed).
 */
public interface MediaOwnership {

    /**
     * @return the authoritative reference (kind, type, size, dimensions as recorded at upload) when
     * {@code accountId} uploaded {@code requested.mediaId()}, empty otherwise; the message stores the
     * returned reference, never the client's claim about the file.
     */
    Optional<MediaRef> resolveOwned(MediaRef requested, String accountId);

    /**
     * The recorded reference of an upload, whoever made it: a forwarded copy reuses a file of its source message,
     * which the forwarder need not have uploaded. Empty when no upload has this id; without an implementation,
     * always empty (forwarding media fails closed).
     */
    default Optional<MediaRef> resolveRecorded(String mediaId) {
        return Optional.empty();
    }
}
