package io.parley.gateway.app;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The processors' dead-letter queues, for the metric, the health detail and the admin API: what is parked,
 * and processing it again once its cause is gone (docs/design.md section 4, projection faults).
 */
@Component
public class DeadLetters {

    /** At most this many sequences are listed per processor (the count is always exact). */
    public static final int LISTED_SEQUENCES = 100;

    private final EventProcessingConfiguration processing;

    DeadLetters(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    public record Letter(String eventId, String eventType, String aggregateId, Long seq, String causeType,
                         String causeMessage, Instant enqueuedAt, Instant lastTouched, int retries) {
    }

    public record Parked(String processor, long deadLetters, long sequences, List<List<Letter>> listed) {
    }

    public record Retried(String processor, long processed, long remaining, boolean failed) {
    }

    /** Processors with a dead-letter queue, by name. */
    public Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues() {
        Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues = new TreeMap<>();
        processing.eventProcessors().keySet().forEach(name ->
                processing.deadLetterQueue(name).ifPresent(queue -> queues.put(name, queue)));
        return queues;
    }

    public Optional<Parked> parked(String processor) {
        return Optional.ofNullable(queues().get(processor)).map(queue -> parked(processor, queue));
    }

    public List<Parked> parked() {
        List<Parked> all = new ArrayList<>();
        queues().forEach((name, queue) -> all.add(parked(name, queue)));
        return all;
    }

    private static Parked parked(String processor, SequencedDeadLetterQueue<EventMessage<?>> queue) {
        List<List<Letter>> listed = new ArrayList<>();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            if (listed.size() == LISTED_SEQUENCES) {
                break;
            }
            List<Letter> letters = new ArrayList<>();
            sequence.forEach(letter -> letters.add(letter(letter)));
            listed.add(letters);
        }
        return new Parked(processor, queue.size(), queue.amountOfSequences(), listed);
    }

    private static Letter letter(DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        Long seq = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        Optional<Cause> cause = letter.cause();
        return new Letter(event.getIdentifier(), event.getPayloadType().getName(),
                ParkingPolicy.safeText(aggregateId, 255), seq,
                cause.map(c -> ParkingPolicy.safeText(c.type(), ParkingPolicy.MAX_TYPE)).orElse(null),
                cause.map(c -> ParkingPolicy.safeText(c.message(), ParkingPolicy.MAX_MESSAGE)).orElse(null),
                letter.enqueuedAt(), letter.lastTouched(), ParkingPolicy.retries(letter.diagnostics()));
    }

    /** Parked letters of the processor; -1 when its queue cannot be read (the database is unreachable). */
    public long count(String processor) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queues().get(processor);
        if (queue == null) {
            return -1;
        }
        try {
            return queue.size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Processes parked sequences again, one after the other, until none is left or one fails (it stays parked,
     * its retry count one higher). Each sequence is tried at most once per call, so a call always ends.
     */
    public Optional<Retried> retry(String processor) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queues().get(processor);
        Optional<SequencedDeadLetterProcessor<EventMessage<?>>> letters = processing.sequencedDeadLetterProcessor(processor);
        if (queue == null || letters.isEmpty()) {
            return Optional.empty();
        }
        long before = queue.size();
        long sequences = queue.amountOfSequences();
        boolean failed = false;
        for (long i = 0; i < sequences && queue.size() > 0; i++) {
            if (!letters.get().processAny()) {
                failed = queue.size() > 0;
                break;
            }
        }
        long remaining = queue.size();
        return Optional.of(new Retried(processor, Math.max(0, before - remaining), remaining, failed));
    }
}
