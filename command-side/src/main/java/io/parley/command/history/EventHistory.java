package io.parley.command.history;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole event history, oldest first, for filling a write-side table that was added after its events were
 * already stored. Only the payloads of the asked-for types are deserialized. The JDBC storage engine gives a
 * finite stream; Axon Server (no engine bean) is read as a tracking stream until nothing more arrives.
 */
@Component
public class EventHistory {

    /** How long the Axon Server stream may stay silent before the history counts as read to its end. */
    private static final int QUIET_SECONDS = 2;

    private final ObjectProvider<EventStorageEngine> engine;
    private final ObjectProvider<EventStore> store;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    EventHistory(ObjectProvider<EventStorageEngine> engine, ObjectProvider<EventStore> store, JdbcTemplate jdbc,
                 TransactionTemplate transactions) {
        this.engine = engine;
        this.store = store;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Creates the write-side table {@code table} with {@code ddl} once, and fills it in the same transaction by
     * handing every stored event of one of {@code types} to {@code fill}, in store order (a deployment older than the
     * table). Two nodes starting at once: the second waits on an advisory lock, then finds the table.
     *
     * @return the number of events applied, or -1 when the table existed already
     */
    public long createAndFill(String table, String ddl, Set<Class<?>> types, Consumer<Object> fill) {
        Long applied = transactions.execute(status -> {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtext(?))", Object.class, table);
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, table))) {
                return -1L;
            }
            jdbc.execute(ddl);
            AtomicLong events = new AtomicLong();
            replay(types, event -> {
                fill.accept(event);
                events.incrementAndGet();
            });
            return events.get();
        });
        return applied == null ? -1 : applied;
    }

    /** Hands the payload of every stored event of one of {@code types} to {@code action}, in store order. */
    public void replay(Set<Class<?>> types, Consumer<Object> action) {
        EventStorageEngine storage = engine.getIfAvailable();
        if (storage != null) {
            try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(null, false)) {
                events.filter(e -> types.contains(e.getPayloadType())).forEach(e -> action.accept(e.getPayload()));
            }
            return;
        }
        try (BlockingStream<TrackedEventMessage<?>> events = store.getObject().openStream(null)) {
            while (events.hasNextAvailable(QUIET_SECONDS, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = events.nextAvailable();
                if (types.contains(event.getPayloadType())) {
                    action.accept(event.getPayload());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the event history", e);
        }
    }
}
