package io.parley.api.media;

import java.time.Instant;

public final class MediaQueries {
    private MediaQueries() {
    }

    /**
     * One media file's metadata, answered only when {@code requesterId} may see it: the uploader, or a member
     * of a conversation in which it was sent. Anyone else gets an empty answer, the same as for an unknown id,
     * so a stranger cannot even learn that the file exists.
     */
    public record AccessibleMediaQuery(String mediaId, String requesterId) {
    }

    /**
     * One media file's metadata whoever asks. As a subscription query it is how an upload waits for the view
     * (read-your-writes): the media projection emits the {@link MediaView} once it has recorded the upload.
     */
    public record MediaByIdQuery(String mediaId) {
    }

    public record MediaView(String mediaId, String uploaderId, String sha256, long size, String contentType,
                            MediaKind kind, String originalName, Integer width, Integer height,
                            boolean hasThumbnail, Long durationMillis, Instant uploadedAt) {

        public MediaRef toRef() {
            return new MediaRef(mediaId, kind, contentType, size, width, height, originalName, hasThumbnail,
                    durationMillis);
        }
    }
}
