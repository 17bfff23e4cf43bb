package io.parley.api.media;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public final class MediaCommands {
    private MediaCommands() {
    }

    /**
     * Records an upload whose bytes are already in the blob store under {@code sha256}: the upload pipeline stores
     * first and records second, so an event never points at bytes that do not exist. Answered with the media id.
     * {@code contentType} and {@code kind} are what the server detected from the bytes, never the client's claim; so are the
     * dimensions (images, videos) and the duration (audio, video) read from the file's own headers.
     */
    public record UploadMedia(@TargetAggregateIdentifier String mediaId, String uploaderId, String sha256, long size,
                              String contentType, MediaKind kind, String originalName, Integer width,
                              Integer height, boolean hasThumbnail, Long durationMillis) {
    }
}
