package io.parley.query.audit;

import io.parley.projections.audit.StoredEvent;
import io.parley.projections.audit.StoredEvents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The auditors' reads, straight from the event store (never from a projection): pages of events, the export, and
 * a conversation as it stood at an instant. Every walk goes by global position (or aggregate sequence) in chunks
 * of {@code chat.audit.chunk-size} rows, so memory stays one chunk whatever the store holds; filters SQL can apply
 * (conversation, types, time) are applied there, {@code userId} per event on the chunk.
 */
public class AuditLog {

    public static final int MAX_LIMIT = 1000;

    private final StoredEvents store;
    private final EventDecoder decoder;
    private final AuditProperties properties;

    public AuditLog(StoredEvents store, EventDecoder decoder, AuditProperties properties) {
        this.store = store;
        this.decoder = decoder;
        this.properties = properties;
    }

    /** @throws InvalidAuditQueryException {@code invalid-parameter} for a limit outside 1..{@value #MAX_LIMIT} */
    public static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidAuditQueryException("invalid-parameter", "'limit' must be between 1 and " + MAX_LIMIT);
        }
    }

    public AuditPage events(AuditQuery query, int limit) {
        checkLimit(limit);
        StoredEvents.Criteria criteria = query.criteria();
        List<AuditEntry> page = new ArrayList<>();
        long cursor = query.after();
        long scanned = 0;
        while (true) {
            // without a userId every row SQL returns matches: ask for one more than the page, to know if it is the last
            int want = query.userId() == null ? Math.min(properties.chunkSize(), limit + 1 - page.size())
                    : properties.chunkSize();
            List<StoredEvent> rows = store.after(cursor, want, criteria);
            for (StoredEvent row : rows) {
                Optional<AuditEntry> entry = matching(row, query.userId());
                if (entry.isPresent()) {
                    if (page.size() == limit) {
                        return new AuditPage(page, AuditCursor.encode(page.get(limit - 1).position()));
                    }
                    page.add(entry.get());
                }
                cursor = row.position();
                scanned++;
            }
            if (rows.size() < want) {
                return new AuditPage(page, null);
            }
            if (scanned >= properties.scanLimit()) {
                return new AuditPage(page, AuditCursor.encode(cursor));
            }
        }
    }

    /** Every matching entry, in global order, handed to {@code sink} one at a time (a chunk held at most). */
    public void export(AuditQuery query, Consumer<AuditEntry> sink) {
        StoredEvents.Criteria criteria = query.criteria();
        long cursor = query.after();
        while (true) {
            List<StoredEvent> rows = store.after(cursor, properties.chunkSize(), criteria);
            for (StoredEvent row : rows) {
                matching(row, query.userId()).ifPresent(sink);
                cursor = row.position();
            }
            if (rows.size() < properties.chunkSize()) {
                return;
            }
        }
    }

    /** The conversation as its events up to {@code at} (inclusive) left it; empty if it did not exist by then. */
    public Optional<ConversationAsOf.State> conversation(String conversationId, Instant at) {
        ConversationAsOf state = new ConversationAsOf(conversationId);
        long seq = -1;
        while (true) {
            List<StoredEvent> rows = store.ofAggregate(conversationId, seq, at, properties.chunkSize());
            for (StoredEvent row : rows) {
                state.apply(decoder.payload(row));
                seq = row.aggregateSeq();
            }
            if (rows.size() < properties.chunkSize()) {
                break;
            }
        }
        return state.exists() ? Optional.of(state.state(at)) : Optional.empty();
    }

    private Optional<AuditEntry> matching(StoredEvent row, String userId) {
        Object payload = decoder.payload(row);
        if (userId != null && !EventParties.of(payload).involve(userId)) {
            return Optional.empty();
        }
        return Optional.of(decoder.entry(row, payload));
    }
}
