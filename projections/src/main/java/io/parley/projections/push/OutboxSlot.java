package io.parley.projections.push;

import java.time.Instant;

/**
 * One {@code push_outbox} row (see {@link PushOutbox} for what each part means), mutable while the outbox thread
 * works on it. {@link OutboxStore} maps it to its columns.
 */
final class OutboxSlot {

    String id;
    String userId;
    String deviceId;
    String conversationId;
    long coveredSeq;
    Instant windowEndsAt;
    int burst;
    int pending;
    Notice latest;
    String inFlight;
    long inFlightSeq;
    int inFlightCount;
    int attempt;
    Instant nextAttemptAt;

    static OutboxSlot fresh(String id, String userId, String deviceId, String conversationId) {
        OutboxSlot slot = new OutboxSlot();
        slot.id = id;
        slot.userId = userId;
        slot.deviceId = deviceId;
        slot.conversationId = conversationId;
        slot.coveredSeq = -1;
        return slot;
    }

    void startFlight(String runId, long seq, int count, Instant windowEndsAt) {
        this.inFlight = runId;
        this.inFlightSeq = seq;
        this.inFlightCount = count;
        this.windowEndsAt = windowEndsAt;
    }

    /**
     * A push recorded as in flight by an earlier run may or may not have reached FCM: it is not sent again
     * (a missed notification costs less than a duplicate, and the messages are in the history either way).
     *
     * @return whether there was such a push
     */
    boolean forgetFlightOfAnotherRun(String runId) {
        if (inFlight != null && !inFlight.equals(runId)) {
            inFlight = null;
            return true;
        }
        return false;
    }

    Instant dueAt() {
        Instant due = windowEndsAt == null ? Instant.EPOCH : windowEndsAt;
        return nextAttemptAt != null && nextAttemptAt.isAfter(due) ? nextAttemptAt : due;
    }
}
