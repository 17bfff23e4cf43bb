package io.parley.projections.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Reads the event store row by row, in global order, always in bounded chunks: nothing here loads more than
 * {@code limit} rows, so callers walking the whole store hold one chunk at a time.
 */
public interface StoredEvents {

    /** What SQL can filter on; null fields do not filter. {@code from} is inclusive, {@code to} exclusive. */
    record Criteria(String aggregateId, Set<String> payloadTypes, Instant from, Instant to) {
        public static final Criteria ALL = new Criteria(null, null, null, null);
    }

    /** Up to {@code limit} rows after {@code position} (exclusive) matching the criteria, by ascending position. */
    List<StoredEvent> after(long position, int limit, Criteria criteria);

    /** The rows at these positions (those that exist), by ascending position. */
    List<StoredEvent> at(Collection<Long> positions);

    /** The rows of these event ids (those that exist), by ascending position. */
    List<StoredEvent> byEventIds(Collection<String> eventIds);

    boolean exists(long position);

    /**
     * Up to {@code limit} events of one aggregate after its sequence number {@code afterSeq}, stored at or before
     * {@code until}, by ascending sequence number.
     */
    List<StoredEvent> ofAggregate(String aggregateId, long afterSeq, Instant until, int limit);
}
