package io.parley.query.audit;

/** A filter the audit API cannot apply; the gateway answers 400 with {@code code} as the problem type. */
public class InvalidAuditQueryException extends RuntimeException {

    private final String code;

    public InvalidAuditQueryException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
