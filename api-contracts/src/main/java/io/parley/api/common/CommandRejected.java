package io.parley.api.common;

/**
 * A command handler's refusal: a rule was broken, so no event was applied. The {@code code} is stable
 * (clients and tests rely on it; the gateway turns it into the problem type
 * {@code https://parley.io/problems/<code>}), the {@code reason} decides the HTTP status.
 */
public class CommandRejected extends RuntimeException {

    public enum Reason {
        /** the request itself is wrong (400) */
        INVALID,
        /** the target does not exist or the caller may not know it exists (404) */
        NOT_FOUND,
        /** the caller is known but lacks the right (403) */
        FORBIDDEN,
        /** the state of the target refuses it (409) */
        CONFLICT,
        /** the target existed and is no longer usable: an expired or revoked invite (410) */
        GONE
    }

    private final String code;
    private final Reason reason;

    public CommandRejected(Reason reason, String code, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.code = code;
    }

    public static CommandRejected invalid(String code, String detail) {
        return new CommandRejected(Reason.INVALID, code, detail);
    }

    public static CommandRejected notFound(String code, String detail) {
        return new CommandRejected(Reason.NOT_FOUND, code, detail);
    }

    public static CommandRejected forbidden(String code, String detail) {
        return new CommandRejected(Reason.FORBIDDEN, code, detail);
    }

    public static CommandRejected conflict(String code, String detail) {
        return new CommandRejected(Reason.CONFLICT, code, detail);
    }

    public String code() {
        return code;
    }

    public Reason reason() {
        return reason;
    }
}
