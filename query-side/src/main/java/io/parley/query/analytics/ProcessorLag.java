package io.parley.query.analytics;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How far each streaming processor is behind the event store, two ways:
 * <ul>
 * <li>{@code events}: the store's head position minus the position of the processor's slowest segment (exact,
 *     from Axon's tracking tokens; a replay counts what it still has to replay);</li>
 * <li>{@code ms}: 0 when caught up, otherwise how long the oldest event the processor has not handled has been
 *     in the store (now minus that event's timestamp): the age of the freshest information the view still
 *     misses. The "last indexed event's timestamp vs now" alternative would report an idle, caught-up
 *     processor as ever more stale, which is why both figures start from the tokens.</li>
 * </ul>
 * Results are cached for a second: gauges and analytics answers may ask often; the cost is one head-position
 * query and, when behind, reading the first pending event.
 */
@Component
public class ProcessorLag {

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** {@code events} and {@code ms} are -1 when unknown (the processor runs on another node, or not at all). */
    public record Lag(String processor, long events, long ms, Instant measuredAt) {
    }

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ProcessorLag(EventProcessingConfiguration processing, EventStore eventStore, Clock clock) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.clock = clock;
    }

    public Map<String, StreamingEventProcessor> processors() {
        Map<String, StreamingEventProcessor> streaming = new java.util.TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor s) {
                streaming.put(name, s);
            }
        });
        return streaming;
    }

    public Lag of(String processorName) {
        long now = System.nanoTime();
        Cached cached = cache.get(processorName);
        if (cached != null && now - cached.at < CACHE_NANOS) {
            return cached.lag;
        }
        Lag lag = measure(processorName);
        cache.put(processorName, new Cached(lag, now));
        return lag;
    }

    private Lag measure(String name) {
        Instant measuredAt = clock.instant();
        Optional<StreamingEventProcessor> processor = processing.eventProcessor(name, StreamingEventProcessor.class);
        if (processor.isEmpty()) {
            return new Lag(name, -1, -1, measuredAt);
        }
        Optional<EventTrackerStatus> slowest = processor.get().processingStatus().values().stream()
                .filter(s -> s.getTrackingToken() != null || s.getCurrentPosition().isPresent())
                .min(Comparator.comparingLong(s -> s.getCurrentPosition().orElse(-1)));
        if (slowest.isEmpty()) {
            return new Lag(name, -1, -1, measuredAt);
        }
        OptionalLong head = eventStore.createHeadToken() == null ? OptionalLong.empty()
                : eventStore.createHeadToken().position();
        long position = slowest.get().getCurrentPosition().orElse(-1);
        if (head.isEmpty()) {
            return new Lag(name, 0, 0, measuredAt);
        }
        long events = Math.max(0, head.getAsLong() - position);
        if (events == 0) {
            return new Lag(name, 0, 0, measuredAt);
        }
        TrackingToken token = WrappedToken.unwrapLowerBound(slowest.get().getTrackingToken());
        long ms = -1;
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(token)) {
            if (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                ms = Math.max(0, measuredAt.toEpochMilli() - stream.peek().orElseThrow().getTimestamp().toEpochMilli());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Lag(name, events, ms, measuredAt);
    }

    private record Cached(Lag lag, long at) {
    }
}
