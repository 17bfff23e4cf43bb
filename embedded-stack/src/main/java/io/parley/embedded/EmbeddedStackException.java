package io.parley.embedded;

/** A failure of the embedded stack (start-up, unpacking, a child that does not come up), with a clear message. */
public class EmbeddedStackException extends RuntimeException {

    public EmbeddedStackException(String message) {
        super(message);
    }

    public EmbeddedStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
