package io.parley.command.media.storage;

import java.io.IOException;

/** Thrown while staging once the content passed its limit; the partial temporary file is already deleted. */
public class BlobTooLargeException extends IOException {

    private final long limit;

    public BlobTooLargeException(long limit) {
        super("The content exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
