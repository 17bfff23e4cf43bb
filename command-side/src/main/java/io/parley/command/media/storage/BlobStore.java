package io.parley.command.media.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A content-addressed blob store: content goes in under its SHA-256, so the same bytes uploaded twice are stored
 * once. Writing is two-phase: {@link #stage} copies a stream into a temporary file while hashing it (and stops at
 * a size limit), then {@link #commit} puts it in place. Between the two the caller inspects the staged bytes
 * (type, dimensions) and may drop them by closing the staged blob, so nothing rejected is ever stored.
 * <p>
 * Keys are 64 lower-case hex digits: the content's own hash for originals, or the original's hash for content
 * derived from it (a thumbnail store keyed by the image it was made from, so it is generated once per image).
 */
public interface BlobStore {

    Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    /** The driver's name as in {@code chat.media.store}. */
    String driver();

    /**
     * Copies {@code content} into a temporary file, hashing it on the way.
     *
     * @throws BlobTooLargeException after reading more than {@code maxBytes}; nothing is left behind
     */
    StagedBlob stage(InputStream content, long maxBytes) throws IOException;

    /**
     * Puts staged content in place under {@code key}; the staged file is consumed either way.
     *
     * @return false when the key already held content (nothing was written)
     */
    boolean commit(StagedBlob staged, String key) throws IOException;

    /** Stores content under its own hash. */
    default StoredBlob put(InputStream content, long maxBytes) throws IOException {
        try (StagedBlob staged = stage(content, maxBytes)) {
            boolean created = commit(staged, staged.sha256());
            return new StoredBlob(staged.sha256(), staged.size(), created);
        }
    }

    /** The size of the content under {@code key}, empty when there is none. */
    OptionalLong size(String key) throws IOException;

    /** Reads the content under {@code key} from {@code offset} to its end; the caller closes the stream. */
    InputStream open(String key, long offset) throws IOException;

    /** @return false when there was nothing under the key */
    boolean delete(String key) throws IOException;

    record StoredBlob(String sha256, long size, boolean created) {
    }

    static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("A blob key is 64 lower-case hex digits");
        }
        return key;
    }
}
