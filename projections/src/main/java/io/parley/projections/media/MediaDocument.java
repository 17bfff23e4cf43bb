package io.parley.projections.media;

import io.parley.api.media.MediaKind;

import java.time.Instant;
import java.util.Map;

/**
 * One media id in the {@code media} read model. {@code upload} is null while only a send is known (a message
 * event seen before the upload's): such a document is not an upload yet. {@code sentIn} maps conversation id
 * to the highest seq at which the file was sent there. Stored by {@link MediaCodec}.
 */
public record MediaDocument(String id, Upload upload, Map<String, Long> sentIn) {

    public record Upload(String uploaderId, String sha256, long size, String contentType, MediaKind kind,
                         String originalName, Integer width, Integer height, boolean hasThumbnail,
                         Long durationMillis, Instant uploadedAt) {
    }
}
