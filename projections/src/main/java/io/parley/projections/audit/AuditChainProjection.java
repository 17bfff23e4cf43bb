package io.parley.projections.audit;

import io.parley.projections.batching.BatchedProjection;
import io.parley.projections.batching.EndOfBatchInterceptor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maintains the audit chain (processing group {@value #GROUP}, one segment: a chain has one order). Each handler
 * only notes the event's position; after the batch's last event ({@link EndOfBatchInterceptor}, before the
 * processor stores its token: docs/design.md, section 12), the
 * batch's rows are read from the event store in one query and hashed as stored ({@link ChainHash}), and the links
 * and the head are written in one {@code bulkWrite}. Hashing the stored bytes, not a re-serialization of the
 * message, is what lets {@link ChainVerifier} prove the rows unchanged.
 * <p>
 * Idempotent: an event redelivered after a crash (its link stored, the token not) keeps its link. Handler errors
 * propagate and the processor retries the batch ({@code AuditChainConfiguration}): a skipped event would be a
 * hole in the chain, so this processor has no dead-letter queue.
 */
@ProcessingGroup(AuditChainProjection.GROUP)
public class AuditChainProjection implements BatchedProjection {

    public static final String GROUP = "audit-chain";
    private static final Logger log = LoggerFactory.getLogger(AuditChainProjection.class);
    private static final String BATCH = AuditChainProjection.class.getName() + ".batch";

    private final StoredEvents store;
    private final ChainLinks links;
    private final long headLogIntervalNanos;
    private long lastLogged = System.nanoTime();
    private boolean loggedOnce;

    public AuditChainProjection(StoredEvents store, ChainLinks links, AuditChainProperties properties) {
        this.store = store;
        this.links = links;
        this.headLogIntervalNanos = properties.headLogInterval().toNanos();
    }

    private static final class Batch {
        final List<String> eventIds = new ArrayList<>();
        TrackingToken last;
    }

    /**
     * Every event, whatever its type; its payload is never deserialized. The event is known by its id, not by the
     * token's position: an event filling a gap late arrives with the token of the highest position seen so far.
     */
    @EventHandler
    void on(EventMessage<?> event, TrackingToken token) {
        if (!CurrentUnitOfWork.isStarted()) {
            Batch single = new Batch();
            single.eventIds.add(event.getIdentifier());
            single.last = token;
            flush(single);
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Batch batch = root.getOrComputeResource(BATCH, key -> {
            Batch created = new Batch();
            // for units of work the interceptor does not end: a no-op after it
            root.onPrepareCommit(unitOfWork -> flush(created));
            return created;
        });
        batch.eventIds.add(event.getIdentifier());
        batch.last = token;
    }

    @Override
    public void endBatch(UnitOfWork<? extends EventMessage<?>> unitOfWork) {
        Batch batch = unitOfWork.root().getResource(BATCH);
        if (batch != null) {
            flush(batch);
        }
    }

    synchronized void flush(Batch batch) {
        if (batch.eventIds.isEmpty()) {
            return; // written already (end of batch, then the prepare-commit safety net)
        }
        ChainLinks.Head head = links.head();
        Map<String, StoredEvent> rows = new HashMap<>();
        store.byEventIds(batch.eventIds).forEach(row -> rows.put(row.eventId(), row));
        Map<Long, ChainLinks.Link> known = links.byPosition(rows.values().stream().map(StoredEvent::position).toList());
        List<ChainLinks.Link> added = new ArrayList<>();
        long position = head.position();
        long n = head.n();
        byte[] hash = ChainHash.parse(head.hash());
        for (String eventId : batch.eventIds) {
            StoredEvent row = rows.get(eventId);
            if (row == null) {
                throw new IllegalStateException("event " + eventId + " was delivered but is not in the store");
            }
            long p = row.position();
            if (known.containsKey(p) || p == position) {
                continue;
            }
            hash = ChainHash.link(hash, row);
            added.add(new ChainLinks.Link(p, ++n, position, ChainHash.hex(hash)));
            position = p;
        }
        GapAwareTrackingToken token = WrappedToken.unwrap(batch.last, GapAwareTrackingToken.class).orElse(null);
        long tokenIndex = token == null ? Math.max(head.tokenIndex(), position) : token.getIndex();
        Set<Long> gaps = token == null ? Set.of() : new TreeSet<>(token.getGaps());
        ChainLinks.Head advanced = new ChainLinks.Head(position, n, ChainHash.hex(hash), tokenIndex, gaps);
        links.append(added, advanced);
        batch.eventIds.clear();
        logHead(advanced);
    }

    /** The head in the log, now and then: an outside record of it proves later that nothing before it changed. */
    private void logHead(ChainLinks.Head head) {
        long now = System.nanoTime();
        if (!loggedOnce || now - lastLogged >= headLogIntervalNanos) {
            loggedOnce = true;
            lastLogged = now;
            log.info("Audit chain head: {} events, last position {}, hash {}", head.n(), head.position(), head.hash());
        }
    }

    @ResetHandler
    void reset() {
        links.clear();
    }
}
