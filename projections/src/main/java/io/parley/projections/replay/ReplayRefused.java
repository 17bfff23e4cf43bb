package io.parley.projections.replay;

/** A replay that cannot start: an unknown processor, or one already running. */
public class ReplayRefused extends RuntimeException {

    public enum Reason { UNKNOWN_PROCESSOR, ALREADY_RUNNING }

    private final Reason reason;

    public ReplayRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
