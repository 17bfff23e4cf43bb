package io.parley.gateway.app;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;

/**
 * The enqueue policy of every processor's dead-letter queue: a failing event is parked, and the cause is stored in
 * a form PostgreSQL accepts (docs/design.md section 4, projection faults), unless the failure is a store that
 * cannot be reached ({@link StoreFailures}: PostgreSQL restarting after a crash, an Elasticsearch node not
 * answering). Parking those would park every event handled during the outage, and their effects would be missing
 * until an operator retried them; instead the policy rethrows, the processor's batch rolls back with its token
 * unmoved, and the processor retries the batch with its own backoff until the store is back (README, "Crash
 * safety"). While PostgreSQL is down parking could not be written anyway.
 * <p>
 * Of the dead-letter row, payload, metadata, token and diagnostics are {@code BYTEA} (the table is created with
 * that type), the sequence identifier is stored as a hash, and the remaining identifiers were read from the event
 * store's own text columns, so only the cause can carry arbitrary text: a handler's exception message quotes the
 * event ({@code "unknown member a\0b"}). Axon stores that message as given ({@code ThrowableCause.asCause}) in a
 * {@code VARCHAR(1023)}; PostgreSQL refuses U+0000 in text and anything longer than the column, the insert fails,
 * the processor's batch fails with it, and the processor retries the same event for ever. So the message is
 * sanitised (control characters other than tab and line breaks become U+FFFD) and cut to the column's size here,
 * before Axon writes it, and so is the type (a {@code VARCHAR(255)}).
 * <p>
 * The policy also counts retries in the letter's diagnostics ({@value #RETRIES}): 0 when first parked, one more
 * each time processing the letter again fails.
 */
final class ParkingPolicy implements EnqueuePolicy<EventMessage<?>> {

    static final String RETRIES = "retries";
    static final int MAX_MESSAGE = ThrowableCause.TRUNCATED_MESSAGE_SIZE;
    static final int MAX_TYPE = 255;

    /** Thrown instead of parking: the batch fails and is retried. */
    static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable(Throwable cause) {
            super("A store is unavailable; the batch is retried instead of parking its events: " + cause, cause);
        }
    }

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        if (StoreFailures.isUnavailable(cause)) {
            throw new StoreUnavailable(cause);
        }
        Object previous = letter.diagnostics().get(RETRIES);
        int retries = previous == null ? 0 : retries(previous) + 1;
        ThrowableCause safe = new ThrowableCause(safeText(cause.getClass().getName(), MAX_TYPE),
                safeText(cause.getMessage(), MAX_MESSAGE));
        return Decisions.enqueue(safe, parked -> parked.diagnostics().and(RETRIES, retries));
    }

    static int retries(Object stored) {
        if (stored instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(stored.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static int retries(MetaData diagnostics) {
        Object stored = diagnostics.get(RETRIES);
        return stored == null ? 0 : retries(stored);
    }

    /**
     * Text any PostgreSQL {@code VARCHAR(max)} accepts: no U+0000 or other control character (tab, CR and LF
     * kept), no lone surrogate (not encodable in UTF-8), at most {@code max} characters (never cutting a pair).
     */
    static String safeText(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && safe.length() < max; ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            boolean control = Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r';
            boolean loneSurrogate = Character.isSurrogate((char) cp) && width == 1;
            if (control || loneSurrogate) {
                safe.append('\uFFFD');
            } else if (safe.length() + width <= max) {
                safe.appendCodePoint(cp);
            } else {
                break;
            }
            i += width;
        }
        return safe.toString();
    }
}
