package io.parley.command.media;

import java.time.Duration;

/**
 * An upload the pipeline refused before anything was stored. Like {@code CommandRejected}, the {@code code} is
 * stable (the REST adapter turns it into the problem type {@code https://parley.io/problems/<code>}); the
 * {@code reason} decides the HTTP status, which for uploads includes sizes, types and rates that no command
 * refusal has.
 */
public class UploadRejected extends RuntimeException {

    public enum Reason {
        /** the file is empty or not what its bytes claim (400) */
        INVALID,
        /** the file, or the uploader's daily quota, is too small for it (413) */
        TOO_LARGE,
        /** the detected type is not on the allowlist (415) */
        TYPE_NOT_ALLOWED,
        /** the uploader's count of uploads per window is used up (429, with {@link #retryAfter()}) */
        TOO_MANY
    }

    private final Reason reason;
    private final String code;
    private final Duration retryAfter;

    UploadRejected(Reason reason, String code, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.reason = reason;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    UploadRejected(Reason reason, String code, String detail) {
        this(reason, code, detail, null);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }

    /** How long the uploader should wait before trying again; null unless the reason is {@link Reason#TOO_MANY}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
