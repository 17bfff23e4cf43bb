package io.parley.projections.push;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The durable state of pushes and their dispatch, in PostgreSQL ({@link OutboxStore}): one {@code push_outbox} row
 * per conversation and device ({@link OutboxSlot}, {@code id} = conversationId:deviceId) that remembers
 * <ul>
 *   <li>{@code coveredSeq}: the highest seq of the conversation already accounted for on this device (pushed, in
 *   flight, or waiting): a message redelivered after a restart is recognised and never pushed twice. Seqs are
 *   gap-free per conversation and each names exactly one message, so this watermark is the "message id + device"
 *   record of sent pushes, kept in one small row instead of one row per message for ever;</li>
 *   <li>the coalescing window: no second push before {@code windowEndsAt}; messages arriving meanwhile are counted
 *   ({@code pending}, {@code burst}) and summed up in one push when it closes;</li>
 *   <li>{@code inFlight}: the push being sent now, written before the request leaves (at most once: a crash while
 *   FCM has it loses that notification rather than showing it twice), tagged with this run's id;</li>
 *   <li>{@code attempt}/{@code nextAttemptAt}: the retry of a push FCM refused for quota or server trouble
 *   ({@link AnswerPolicy}).</li>
 * </ul>
 * Slots with something waiting are listed in {@code push_schedule} ({@link OutboxStore}). Every change to the
 * outbox runs on one thread (no locks, no lost updates between the processor and the timers); HTTP runs on the
 * SDK's threads.
 */
class PushOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PushOutbox.class);

    /** One target of a new message: a device of an offline member who has not muted the conversation. */
    record Target(String userId, String deviceId, String token) {
    }

    private final OutboxStore store;
    private final AnswerPolicy answers;
    private final PushDirectory directory;
    private final FcmClient fcm;
    private final Presence presence;
    private final PushProperties properties;
    private final Clock clock;
    /** marks in-flight records of this run: one left by an earlier run was lost with it */
    private final String runId = UUID.randomUUID().toString();
    private final ScheduledExecutorService thread;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

    PushOutbox(JdbcTemplate jdbc, PushDirectory directory, FcmClient fcm, CommandGateway commands,
               Presence presence, PushProperties properties, Clock clock) {
        this.store = new OutboxStore(jdbc);
        this.answers = new AnswerPolicy(commands, properties.retry());
        this.directory = directory;
        this.fcm = fcm;
        this.presence = presence;
        this.properties = properties;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "push-outbox");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes one message for its targets: pushes it at once where no window is open, counts it into the window
     * elsewhere. The future completes when FCM's answers are handled (accepted, pruned, or due for retry); it fails
     * only when the outbox could not be written, and then nothing was sent.
     */
    CompletableFuture<Void> offer(Notice notice, List<Target> targets) {
        return CompletableFuture.supplyAsync(() -> admit(notice, targets), thread).thenCompose(this::send);
    }

    /** Re-arms the timers of what was waiting when the last run stopped; call once at start-up. */
    CompletableFuture<Void> recover() {
        return CompletableFuture.runAsync(this::recoverOnThread, thread);
    }

    /** Forgets everything (the processor is being reset and replayed, which pushes nothing). */
    CompletableFuture<Void> reset() {
        return CompletableFuture.runAsync(() -> {
            timers.values().forEach(t -> t.cancel(false));
            timers.clear();
            store.clear();
        }, thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    // ------------------------------------------------------------------ on the outbox thread

    private record Send(OutboxSlot slot, String token, Notice notice) {
    }

    private List<Send> admit(Notice notice, List<Target> targets) {
        Instant now = clock.instant();
        Map<String, OutboxSlot> slots = store.load(
                targets.stream().map(t -> OutboxStore.key(notice.conversationId(), t.deviceId())).toList());
        List<Send> sends = new ArrayList<>();
        List<OutboxSlot> writes = new ArrayList<>();
        Set<String> waiting = new LinkedHashSet<>();
        for (Target target : targets) {
            String key = OutboxStore.key(notice.conversationId(), target.deviceId());
            OutboxSlot slot = slots.computeIfAbsent(key,
                    k -> OutboxSlot.fresh(k, target.userId(), target.deviceId(), notice.conversationId()));
            slot.forgetFlightOfAnotherRun(runId);
            if (notice.seq() <= slot.coveredSeq) {
                continue; // seen before this restart: pushed, in flight or waiting already
            }
            slot.coveredSeq = notice.seq();
            slot.latest = notice;
            boolean windowOpen = slot.windowEndsAt != null && now.isBefore(slot.windowEndsAt);
            if (!windowOpen && slot.inFlight == null && slot.pending == 0) {
                slot.burst = 1;
                slot.startFlight(runId, notice.seq(), 1, now.plus(properties.coalesceWindow()));
                sends.add(new Send(slot, target.token(), notice));
            } else {
                slot.burst++;
                slot.pending++;
                waiting.add(key);
                if (slot.inFlight == null) {
                    arm(key, slot.dueAt());
                }
            }
            writes.add(slot);
        }
        store.write(writes, List.of());
        store.updateDue(waiting, Set.of());
        return sends;
    }

    /** Sends, then hands the answers back to the outbox thread; completes when they are recorded. */
    private CompletableFuture<Void> send(List<Send> sends) {
        if (sends.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return fcm.send(sends.stream().map(s -> s.notice().toMessage(s.token())).toList())
                .thenAcceptAsync(outcomes -> settle(sends, outcomes), thread);
    }

    private void settle(List<Send> sends, List<FcmOutcome> outcomes) {
        Instant now = clock.instant();
        Map<String, OutboxSlot> slots = store.load(sends.stream().map(s -> s.slot().id).toList());
        List<OutboxSlot> saved = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        Set<String> waiting = new LinkedHashSet<>();
        Set<String> done = new LinkedHashSet<>();
        for (int i = 0; i < sends.size(); i++) {
            Send send = sends.get(i);
            OutboxSlot slot = slots.get(send.slot().id);
            if (slot == null || !runId.equals(slot.inFlight) || slot.inFlightSeq != send.notice().seq()) {
                continue; // reset, or already settled
            }
            int carried = slot.inFlightCount;
            slot.inFlight = null;
            if (!answers.apply(slot, carried, outcomes.get(i), now)) {
                deleted.add(slot.id);
                done.add(slot.id);
                continue;
            }
            if (slot.pending > 0) {
                waiting.add(slot.id);
                arm(slot.id, slot.dueAt());
            } else {
                done.add(slot.id);
            }
            saved.add(slot);
        }
        store.write(saved, deleted);
        store.updateDue(waiting, done);
    }

    /** The window closed or a retry is due: push one notice for everything waiting. */
    private void flush(String key) {
        timers.remove(key);
        OutboxSlot slot = store.load(List.of(key)).get(key);
        if (slot == null) {
            store.updateDue(Set.of(), Set.of(key));
            return;
        }
        slot.forgetFlightOfAnotherRun(runId);
        if (slot.inFlight != null) {
            return; // its answer re-arms the timer
        }
        Instant now = clock.instant();
        if (slot.pending == 0) {
            store.updateDue(Set.of(), Set.of(key));
            return;
        }
        if (now.isBefore(slot.dueAt())) {
            arm(key, slot.dueAt());
            return;
        }
        String token = directory.user(slot.userId).flatMap(user -> user.devices().stream()
                .filter(d -> d.id().equals(slot.deviceId)).findFirst()).map(PushDirectory.Device::token).orElse(null);
        if (token == null || presence.isOnline(slot.userId)) {
            // the device is gone, or its owner is reading live now: the waiting messages need no push
            slot.pending = 0;
            slot.burst = 0;
            store.save(slot);
            store.updateDue(Set.of(), Set.of(key));
            return;
        }
        Notice latest = slot.latest;
        Notice summary = new Notice(latest.conversationId(), latest.seq(), latest.messageId(), latest.title(),
                latest.preview(), slot.burst);
        slot.startFlight(runId, latest.seq(), slot.pending, now.plus(properties.coalesceWindow()));
        slot.pending = 0;
        store.save(slot);
        send(List.of(new Send(slot, token, summary))).exceptionally(e -> {
            if (thread.isShutdown()) {
                // stopping: the record stays in flight and the next run lets it go rather than send it twice
                log.debug("Outbox stopped before the answer to a push for {} was recorded", key);
            } else {
                log.warn("Could not record the answer to a push for {}", key, e);
            }
            return null;
        });
    }

    private void recoverOnThread() {
        List<String> keys = store.dueKeys();
        if (keys.isEmpty()) {
            return;
        }
        Map<String, OutboxSlot> slots = store.load(keys);
        Set<String> done = new LinkedHashSet<>();
        int armed = 0;
        for (String key : keys) {
            OutboxSlot slot = slots.get(key);
            if (slot == null) {
                done.add(key);
                continue;
            }
            if (slot.forgetFlightOfAnotherRun(runId)) {
                store.save(slot);
            }
            if (slot.pending > 0) {
                arm(key, slot.dueAt());
                armed++;
            } else {
                done.add(key);
            }
        }
        store.updateDue(Set.of(), done);
        log.info("Push outbox: {} waiting notification(s) re-armed after restart", armed);
    }

    private void arm(String key, Instant at) {
        ScheduledFuture<?> existing = timers.get(key);
        if (existing != null && !existing.isDone()) {
            return; // flush() re-arms itself if it fires early
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        timers.put(key, thread.schedule(() -> {
            try {
                flush(key);
            } catch (RuntimeException e) {
                log.warn("Push flush for {} failed; trying again in {}", key, properties.retry().initialBackoff(), e);
                timers.remove(key);
                arm(key, clock.instant().plus(properties.retry().initialBackoff()));
            }
        }, delay, TimeUnit.MILLISECONDS));
    }
}
