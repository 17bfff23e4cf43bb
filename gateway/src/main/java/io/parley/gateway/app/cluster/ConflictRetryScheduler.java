package io.parley.gateway.app.cluster;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a command again when it lost an append race: two nodes handled commands for one aggregate at once, the
 * other stored its event at the sequence this one wanted first, and the event store's unique key on (aggregate,
 * sequence) refused this append (a {@link ConcurrencyException}; its unit of work rolled back, nothing stored).
 * The retry loads the aggregate again, now with the other node's event, and decides afresh. Only that failure is
 * retried: a refusal of the command's rules, or any other error, is the answer as it is. After
 * {@code chat.cluster.command-retries} attempts the conflict is the answer.
 * <p>
 * The retry runs at once on the thread that dispatched the command (the simple command bus answers on it), after
 * a short jittered pause (a few milliseconds, growing with each attempt, so two nodes racing on a busy group do
 * not meet again in step). Handing it to another thread would let the same session's next frame, already
 * waiting on this one's inbound thread, overtake it: a sender's messages must keep the order they were sent in.
 */
final class ConflictRetryScheduler implements RetryScheduler {

    private static final Logger log = LoggerFactory.getLogger(ConflictRetryScheduler.class);

    private final int maxRetries;

    ConflictRetryScheduler(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatchTask) {
        int attempt = failures.size();
        if (!isConflict(lastFailure) || attempt > maxRetries) {
            return false;
        }
        long waitMillis = ThreadLocalRandom.current().nextLong(1, 5L * attempt + 5);
        log.debug("{} lost an append race (attempt {}); again in {} ms", commandMessage.getPayloadType().getSimpleName(),
                attempt, waitMillis);
        try {
            Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        dispatchTask.run();
        return true;
    }
}
