package io.parley.projections.push;

import io.parley.api.account.AccountCommands.RemoveDevice;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * What FCM's answer to one push does to its slot: an accepted or refused push is done, a dead token removes the
 * device (a {@link RemoveDevice} command, so the account and every read model learn it), and quota or server trouble
 * schedules a retry with exponential backoff until {@code chat.push.retry.max-attempts} runs out.
 */
final class AnswerPolicy {

    private static final Logger log = LoggerFactory.getLogger(AnswerPolicy.class);

    private final CommandGateway commands;
    private final PushProperties.Retry retry;

    AnswerPolicy(CommandGateway commands, PushProperties.Retry retry) {
        this.commands = commands;
        this.retry = retry;
    }

    /**
     * Applies {@code outcome} to a slot whose flight just ended.
     *
     * @param carried how many waiting messages the push stood for: they wait again when it is retried
     * @return false when the slot is to be deleted (its token is dead)
     */
    boolean apply(OutboxSlot slot, int carried, FcmOutcome outcome, Instant now) {
        switch (outcome.kind()) {
            case ACCEPTED -> {
                slot.attempt = 0;
                slot.nextAttemptAt = null;
            }
            case DEAD_TOKEN -> {
                log.info("FCM answered {} for device {} of {}: removing it", outcome.code(), slot.deviceId,
                        slot.userId);
                commands.send(new RemoveDevice(slot.userId, slot.deviceId, outcome.code()))
                        .exceptionally(e -> {
                            log.warn("Could not remove dead device {} of {}", slot.deviceId, slot.userId, e);
                            return null;
                        });
                return false;
            }
            case RETRY -> {
                slot.attempt++;
                if (slot.attempt > retry.maxAttempts()) {
                    log.warn("Giving up on a push to device {} of {} after {} attempts (last answer {})",
                            slot.deviceId, slot.userId, slot.attempt - 1, outcome.code());
                    slot.attempt = 0;
                    slot.nextAttemptAt = null;
                    slot.pending = 0;
                } else {
                    // nothing reached the device, so no window holds the retry back: only the backoff does
                    slot.windowEndsAt = null;
                    slot.pending += carried;
                    slot.nextAttemptAt = now.plus(backoff(slot.attempt, outcome.retryAfter()));
                    log.debug("FCM answered {} for device {}: retry {} at {}", outcome.code(), slot.deviceId,
                            slot.attempt, slot.nextAttemptAt);
                }
            }
            case FAILED -> {
                log.warn("FCM refused a push to device {} of {} with {}; not retrying", slot.deviceId,
                        slot.userId, outcome.code());
                slot.attempt = 0;
                slot.nextAttemptAt = null;
            }
        }
        return true;
    }

    /** The configured backoff, or FCM's Retry-After when that is longer; never more than the maximum. */
    private Duration backoff(int attempt, Duration retryAfter) {
        Duration backoff = retry.backoff(attempt);
        if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
            backoff = retryAfter;
        }
        Duration max = retry.maxBackoff();
        return backoff.compareTo(max) > 0 ? max : backoff;
    }
}
