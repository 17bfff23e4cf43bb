package io.parley.command.media.storage;

/**
 * The two blob stores of the media feature: {@code blobs} holds uploads under their own SHA-256, {@code thumbnails}
 * holds each image's thumbnail under the image's SHA-256 (so the same image uploaded twice is thumbnailed once,
 * and the media views can be rebuilt from {@code MediaUploaded} alone).
 */
public record MediaStores(BlobStore blobs, BlobStore thumbnails) {
}
