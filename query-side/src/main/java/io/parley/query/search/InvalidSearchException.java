package io.parley.query.search;

/** A search or analytics request that cannot be answered as asked (the gateway answers 400). */
public class InvalidSearchException extends RuntimeException {

    private final String code;

    public InvalidSearchException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
