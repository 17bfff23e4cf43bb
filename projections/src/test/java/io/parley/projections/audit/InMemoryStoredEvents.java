package io.parley.projections.audit;

import org.axonframework.common.DateTimeUtils;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@link StoredEvents} over a sorted map, for unit tests: the same filters as the JDBC reader, plus what a test
 * needs to tamper with rows and to see how much any one call returned ({@link #largestAnswer()}).
 */
public final class InMemoryStoredEvents implements StoredEvents {

    private final TreeMap<Long, StoredEvent> rows = new TreeMap<>();
    private int largestAnswer;
    private int calls;

    /** Appends an event of an aggregate, its JSON payload as given, at the next position. */
    public StoredEvent append(String aggregateType, String aggregateId, long seq, Instant at, Class<?> payloadType,
                              String json) {
        long position = rows.isEmpty() ? 0 : rows.lastKey() + 1;
        StoredEvent e = new StoredEvent(position, UUID.randomUUID().toString(), aggregateType, aggregateId, seq,
                DateTimeUtils.formatInstant(at), payloadType.getName(), "1", json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        rows.put(position, e);
        return e;
    }

    public void put(StoredEvent e) {
        rows.put(e.position(), e);
    }

    public StoredEvent remove(long position) {
        return rows.remove(position);
    }

    public StoredEvent get(long position) {
        return rows.get(position);
    }

    public int size() {
        return rows.size();
    }

    /** The most rows any single call has returned. */
    public int largestAnswer() {
        return largestAnswer;
    }

    public int calls() {
        return calls;
    }

    @Override
    public List<StoredEvent> after(long position, int limit, Criteria c) {
        List<StoredEvent> found = new ArrayList<>();
        for (StoredEvent e : rows.tailMap(position, false).values()) {
            if (found.size() == limit) {
                break;
            }
            if ((c.aggregateId() == null || c.aggregateId().equals(e.aggregateId()))
                    && (c.payloadTypes() == null || c.payloadTypes().contains(e.payloadType()))
                    && (c.from() == null || !e.instant().isBefore(c.from()))
                    && (c.to() == null || e.instant().isBefore(c.to()))) {
                found.add(e);
            }
        }
        return answer(found);
    }

    @Override
    public List<StoredEvent> at(Collection<Long> positions) {
        List<StoredEvent> found = new ArrayList<>();
        positions.stream().sorted().forEach(p -> {
            if (rows.containsKey(p)) {
                found.add(rows.get(p));
            }
        });
        return answer(found);
    }

    @Override
    public List<StoredEvent> byEventIds(Collection<String> eventIds) {
        List<StoredEvent> found = new ArrayList<>();
        rows.values().stream().filter(e -> eventIds.contains(e.eventId())).forEach(found::add);
        return answer(found);
    }

    @Override
    public boolean exists(long position) {
        calls++;
        return rows.containsKey(position);
    }

    @Override
    public List<StoredEvent> ofAggregate(String aggregateId, long afterSeq, Instant until, int limit) {
        List<StoredEvent> found = new ArrayList<>();
        rows.values().stream().filter(e -> e.aggregateId().equals(aggregateId) && e.aggregateSeq() > afterSeq
                        && !e.instant().isAfter(until))
                .sorted((a, b) -> Long.compare(a.aggregateSeq(), b.aggregateSeq())).limit(limit).forEach(found::add);
        return answer(found);
    }

    private List<StoredEvent> answer(List<StoredEvent> found) {
        calls++;
        largestAnswer = Math.max(largestAnswer, found.size());
        return found;
    }
}
