package io.parley.projections.push;

import org.bson.Document;

import java.time.Instant;
import java.util.Date;

/**
 * One {@code push-outbox} document (see {@link PushOutbox} for what each part means), mutable while the outbox
 * thread works on it. This class is the only one that names the document's fields.
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

    static OutboxSlot of(Document doc) {
        OutboxSlot slot = new OutboxSlot();
        slot.id = doc.getString("_id");
        slot.userId = doc.getString("userId");
        slot.deviceId = doc.getString("deviceId");
        slot.conversationId = doc.getString("conversationId");
        slot.coveredSeq = doc.get("coveredSeq", Number.class).longValue();
        slot.windowEndsAt = instant(doc.getDate("windowEndsAt"));
        slot.burst = doc.getInteger("burst", 0);
        slot.pending = doc.getInteger("pending", 0);
        Document latest = doc.get("latest", Document.class);
        if (latest != null) {
            slot.latest = new Notice(slot.conversationId, latest.get("seq", Number.class).longValue(),
                    latest.getString("messageId"), latest.getString("title"), latest.getString("preview"), 1);
        }
        Document flight = doc.get("inFlight", Document.class);
        if (flight != null) {
            slot.inFlight = flight.getString("run");
            slot.inFlightSeq = flight.get("seq", Number.class).longValue();
            slot.inFlightCount = flight.getInteger("count", 1);
        }
        slot.attempt = doc.getInteger("attempt", 0);
        slot.nextAttemptAt = instant(doc.getDate("nextAttemptAt"));
        return slot;
    }

    Document toDocument() {
        Document doc = new Document("_id", id)
                .append("userId", userId)
                .append("deviceId", deviceId)
                .append("conversationId", conversationId)
                .append("coveredSeq", coveredSeq)
                .append("windowEndsAt", date(windowEndsAt))
                .append("burst", burst)
                .append("pending", pending)
                .append("attempt", attempt)
                .append("nextAttemptAt", attempt == 0 ? null : date(nextAttemptAt));
        if (latest != null) {
            doc.append("latest", new Document("seq", latest.seq()).append("messageId", latest.messageId())
                    .append("title", latest.title()).append("preview", latest.preview()));
        }
        if (inFlight != null) {
            doc.append("inFlight", new Document("run", inFlight).append("seq", inFlightSeq)
                    .append("count", inFlightCount));
        }
        return doc;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
