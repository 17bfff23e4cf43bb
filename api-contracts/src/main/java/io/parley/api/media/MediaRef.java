package io.parley.api.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.api.privacy.PersonalData;

/**
 * What a message carries about an attached file: enough for a recipient to render it without
 * another round trip (type, size, dimensions, the duration of a voice note or video); the bytes are fetched from {@code /api/media/{mediaId}}.
 */
public record MediaRef(String mediaId, MediaKind kind, String contentType, long size, Integer width, Integer height,
                       // personal data of the enclosing event's subject (the sender) in stored events
                       @PersonalData String fileName, boolean hasThumbnail,
                       // absent, not null, for what has no duration: the shapes clients knew stay as they were
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long durationMillis) {

    /**
     * A reference without a duration: what a client names when it sends a file (only its id counts, the rest is
     * replaced by the recorded file), and files that have none (images, documents).
     */
    public MediaRef(String mediaId, MediaKind kind, String contentType, long size, Integer width, Integer height,
                    String fileName, boolean hasThumbnail) {
        this(mediaId, kind, contentType, size, width, height, fileName, hasThumbnail, null);
    }
}
