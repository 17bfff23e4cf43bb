package io.parley.api.media;

/**
 * What a message carries about an attached file: enough for a recipient to render it without
 * another round trip (type, size, dimensions); the bytes are fetched from {@code /api/media/{mediaId}}.
 */
public record MediaRef(String mediaId, MediaKind kind, String contentType, long size, Integer width, Integer height,
                       String fileName, boolean hasThumbnail) {
}
