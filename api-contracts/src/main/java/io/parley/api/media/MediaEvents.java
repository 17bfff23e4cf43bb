package io.parley.api.media;

import org.axonframework.serialization.Revision;

import java.time.Instant;

public final class MediaEvents {
    private MediaEvents() {
    }

    @Revision("1")
    public record MediaUploaded(String mediaId, String uploaderId, String sha256, long size, String contentType,
                                MediaKind kind, String originalName, Integer width, Integer height,
                                boolean hasThumbnail, Instant uploadedAt) {
    }
}
