package io.parley.api.media;

import io.parley.api.privacy.DataSubject;
import io.parley.api.privacy.PersonalData;
import org.axonframework.serialization.Revision;

import java.time.Instant;

public final class MediaEvents {
    private MediaEvents() {
    }

    /**
     * Revision 2 added {@code durationMillis} (audio and video) and allowed dimensions and a thumbnail (the poster
     * frame) on videos. The change is additive: a revision-1 payload lacks the field and reads with a null
     * duration, which is what it meant, so no upcaster is needed.
     */
    @Revision("2")
    public record MediaUploaded(String mediaId, @DataSubject String uploaderId, String sha256, long size,
                                String contentType, MediaKind kind, @PersonalData String originalName, Integer width, Integer height,
                                boolean hasThumbnail, Long durationMillis, Instant uploadedAt) {
    }
}
