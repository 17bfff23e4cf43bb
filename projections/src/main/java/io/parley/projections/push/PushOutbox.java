package io.parley.projections.push;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.parley.api.account.AccountCommands.RemoveDevice;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
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
 * The durable state of pushes: one {@code push-outbox} document per conversation and device ({@code _id} =
 * conversationId:deviceId) that remembers
 * <ul>
 *   <li>{@code coveredSeq}: the highest seq of the conversation already accounted for on this device (pushed, in
 *   flight, or waiting): a message redelivered after a restart is recognised and never pushed twice. Seqs are
 *   gap-free per conversation and each names exactly one message, so this watermark is the "message id + device"
 *   record of sent pushes, kept in one small document instead of one document per message for ever;</li>
 *   <li>the coalescing window: no second push before {@code windowEndsAt}; messages arriving meanwhile are counted
 *   ({@code pending}, {@code burst}) and summed up in one push when it closes;</li>
 *   <li>{@code inFlight}: the push being sent now, written before the request leaves (at most once: a crash while
 *   FCM has it loses that notification rather than showing it twice), tagged with this run's id;</li>
 *   <li>{@code attempt}/{@code nextAttemptAt}: the retry of a push FCM refused for quota or server trouble.</li>
 * </ul>
 * Documents with something waiting are listed in one {@code push-schedule} document ({@code _id} "due"), so a
 * restart finds them with one {@code _id} read and an {@code $in}, never a scan. Every change to the outbox runs on
 * one thread (no locks, no lost updates between the processor and the timers); HTTP runs on the SDK's threads.
 */
class PushOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PushOutbox.class);

    static final String OUTBOX = "push-outbox";
    static final String SCHEDULE = "push-schedule";
    private static final String DUE = "due";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    /** One target of a new message: a device of an offline member who has not muted the conversation. */
    record Target(String userId, String deviceId, String token) {
    }

    private final MongoCollection<Document> outbox;
    private final MongoCollection<Document> schedule;
    private final PushDirectory directory;
    private final FcmClient fcm;
    private final CommandGateway commands;
    private final Presence presence;
    private final PushProperties properties;
    private final Clock clock;
    /** marks in-flight records of this run: one left by an earlier run was lost with it */
    private final String runId = UUID.randomUUID().toString();
    private final ScheduledExecutorService thread;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

    PushOutbox(MongoDatabase database, PushDirectory directory, FcmClient fcm, CommandGateway commands,
               Presence presence, PushProperties properties, Clock clock) {
        this.outbox = database.getCollection(OUTBOX);
        this.schedule = database.getCollection(SCHEDULE);
        this.directory = directory;
        this.fcm = fcm;
        this.commands = commands;
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
            outbox.deleteMany(new Document());
            schedule.deleteMany(new Document());
        }, thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    // ------------------------------------------------------------------ on the outbox thread

    private record Send(Slot slot, String token, Notice notice) {
    }

    private List<Send> admit(Notice notice, List<Target> targets) {
        Instant now = clock.instant();
        Map<String, Slot> slots = load(targets.stream().map(t -> key(notice.conversationId(), t.deviceId())).toList());
        List<Send> sends = new ArrayList<>();
        List<WriteModel<Document>> writes = new ArrayList<>();
        Set<String> waiting = new LinkedHashSet<>();
        for (Target target : targets) {
            String key = key(notice.conversationId(), target.deviceId());
            Slot slot = slots.computeIfAbsent(key, k -> Slot.fresh(k, target, notice.conversationId()));
            forgetLostInFlight(slot);
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
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", key), slot.toDocument(), UPSERT));
        }
        if (!writes.isEmpty()) {
            outbox.bulkWrite(writes);
        }
        if (!waiting.isEmpty()) {
            schedule.updateOne(Filters.eq("_id", DUE), Updates.addEachToSet("keys", new ArrayList<>(waiting)),
                    new UpdateOptions().upsert(true));
        }
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
        Map<String, Slot> slots = load(sends.stream().map(s -> s.slot().id).toList());
        List<WriteModel<Document>> writes = new ArrayList<>();
        Set<String> waiting = new LinkedHashSet<>();
        Set<String> done = new LinkedHashSet<>();
        for (int i = 0; i < sends.size(); i++) {
            Send send = sends.get(i);
            FcmOutcome outcome = outcomes.get(i);
            Slot slot = slots.get(send.slot().id);
            if (slot == null || !runId.equals(slot.inFlight) || slot.inFlightSeq != send.notice().seq()) {
                continue; // reset, or already settled
            }
            int carried = slot.inFlightCount;
            slot.inFlight = null;
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
                    writes.add(new DeleteOneModel<>(Filters.eq("_id", slot.id)));
                    done.add(slot.id);
                    continue;
                }
                case RETRY -> {
                    slot.attempt++;
                    if (slot.attempt > properties.retry().maxAttempts()) {
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
            if (slot.pending > 0) {
                waiting.add(slot.id);
                arm(slot.id, slot.dueAt());
            } else {
                done.add(slot.id);
            }
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", slot.id), slot.toDocument(), UPSERT));
        }
        if (!writes.isEmpty()) {
            outbox.bulkWrite(writes);
        }
        updateDue(waiting, done);
    }

    /** The window closed or a retry is due: push one notice for everything waiting. */
    private void flush(String key) {
        timers.remove(key);
        Slot slot = load(List.of(key)).get(key);
        if (slot == null) {
            updateDue(Set.of(), Set.of(key));
            return;
        }
        forgetLostInFlight(slot);
        if (slot.inFlight != null) {
            return; // its answer re-arms the timer
        }
        Instant now = clock.instant();
        if (slot.pending == 0) {
            updateDue(Set.of(), Set.of(key));
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
            outbox.replaceOne(Filters.eq("_id", key), slot.toDocument(), UPSERT);
            updateDue(Set.of(), Set.of(key));
            return;
        }
        Notice latest = slot.latest;
        Notice summary = new Notice(latest.conversationId(), latest.seq(), latest.messageId(), latest.title(),
                latest.preview(), slot.burst);
        slot.startFlight(runId, latest.seq(), slot.pending, now.plus(properties.coalesceWindow()));
        slot.pending = 0;
        outbox.replaceOne(Filters.eq("_id", key), slot.toDocument(), UPSERT);
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
        Document due = schedule.find(Filters.eq("_id", DUE)).first();
        List<String> keys = due == null ? List.of() : due.getList("keys", String.class, List.of());
        if (keys.isEmpty()) {
            return;
        }
        Map<String, Slot> slots = load(keys);
        Set<String> done = new LinkedHashSet<>();
        int armed = 0;
        for (String key : keys) {
            Slot slot = slots.get(key);
            if (slot == null) {
                done.add(key);
                continue;
            }
            if (forgetLostInFlight(slot)) {
                outbox.replaceOne(Filters.eq("_id", key), slot.toDocument(), UPSERT);
            }
            if (slot.pending > 0) {
                arm(key, slot.dueAt());
                armed++;
            } else {
                done.add(key);
            }
        }
        updateDue(Set.of(), done);
        log.info("Push outbox: {} waiting notification(s) re-armed after restart", armed);
    }

    /**
     * A push recorded as in flight by an earlier run may or may not have reached FCM: it is not sent again
     * (a missed notification costs less than a duplicate, and the messages are in the history either way).
     */
    private boolean forgetLostInFlight(Slot slot) {
        if (slot.inFlight != null && !slot.inFlight.equals(runId)) {
            slot.inFlight = null;
            return true;
        }
        return false;
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

    private Duration backoff(int attempt, Duration retryAfter) {
        Duration backoff = properties.retry().backoff(attempt);
        if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
            backoff = retryAfter;
        }
        Duration max = properties.retry().maxBackoff();
        return backoff.compareTo(max) > 0 ? max : backoff;
    }

    private void updateDue(Set<String> waiting, Set<String> done) {
        Set<String> finished = new LinkedHashSet<>(done);
        finished.removeAll(waiting);
        if (!waiting.isEmpty()) {
            schedule.updateOne(Filters.eq("_id", DUE), Updates.addEachToSet("keys", new ArrayList<>(waiting)),
                    new UpdateOptions().upsert(true));
        }
        if (!finished.isEmpty()) {
            schedule.updateOne(Filters.eq("_id", DUE), Updates.pullAll("keys", new ArrayList<>(finished)));
        }
    }

    private Map<String, Slot> load(List<String> keys) {
        Map<String, Slot> slots = new HashMap<>();
        if (!keys.isEmpty()) {
            outbox.find(Filters.in("_id", keys)).forEach(doc -> slots.put(doc.getString("_id"), Slot.of(doc)));
        }
        return slots;
    }

    static String key(String conversationId, String deviceId) {
        return conversationId + ":" + deviceId;
    }

    /** One outbox document, mutable while the outbox thread works on it. */
    private static final class Slot {
        String id;
        String userId;
        String deviceId;
        String conversationId;
        long coveredSeq;
        Instant windowEndsAt;
        int burst;
        int pending;
        Notice latest;
        String inFlight;
        long inFlightSeq;
        int inFlightCount;
        int attempt;
        Instant nextAttemptAt;

        static Slot fresh(String id, Target target, String conversationId) {
            Slot slot = new Slot();
            slot.id = id;
            slot.userId = target.userId();
            slot.deviceId = target.deviceId();
            slot.conversationId = conversationId;
            slot.coveredSeq = -1;
            return slot;
        }

        void startFlight(String runId, long seq, int count, Instant windowEndsAt) {
            this.inFlight = runId;
            this.inFlightSeq = seq;
            this.inFlightCount = count;
            this.windowEndsAt = windowEndsAt;
        }

        Instant dueAt() {
            Instant due = windowEndsAt == null ? Instant.EPOCH : windowEndsAt;
            return nextAttemptAt != null && nextAttemptAt.isAfter(due) ? nextAttemptAt : due;
        }

        static Slot of(Document doc) {
            Slot slot = new Slot();
            slot.id = doc.getString("_id");
            slot.userId = doc.getString("userId");
            slot.deviceId = doc.getString("deviceId");
            slot.conversationId = doc.getString("conversationId");
            slot.coveredSeq = doc.get("coveredSeq", Number.class).longValue();
            slot.windowEndsAt = instant(doc.getDate("windowEndsAt"));
            slot.burst = doc.getInteger("burst", 0);
            slot.pending = doc.getInteger("pending", 0);
            Document latest = doc.get("latest", Document.class);
            if (latest != null) {
                slot.latest = new Notice(slot.conversationId, latest.get("seq", Number.class).longValue(),
                        latest.getString("messageId"), latest.getString("title"), latest.getString("preview"), 1);
            }
            Document flight = doc.get("inFlight", Document.class);
            if (flight != null) {
                slot.inFlight = flight.getString("run");
                slot.inFlightSeq = flight.get("seq", Number.class).longValue();
                slot.inFlightCount = flight.getInteger("count", 1);
            }
            slot.attempt = doc.getInteger("attempt", 0);
            slot.nextAttemptAt = instant(doc.getDate("nextAttemptAt"));
            return slot;
        }

        Document toDocument() {
            Document doc = new Document("_id", id)
                    .append("userId", userId)
                    .append("deviceId", deviceId)
                    .append("conversationId", conversationId)
                    .append("coveredSeq", coveredSeq)
                    .append("windowEndsAt", date(windowEndsAt))
                    .append("burst", burst)
                    .append("pending", pending)
                    .append("attempt", attempt)
                    .append("nextAttemptAt", attempt == 0 ? null : date(nextAttemptAt));
            if (latest != null) {
                doc.append("latest", new Document("seq", latest.seq()).append("messageId", latest.messageId())
                        .append("title", latest.title()).append("preview", latest.preview()));
            }
            if (inFlight != null) {
                doc.append("inFlight", new Document("run", inFlight).append("seq", inFlightSeq)
                        .append("count", inFlightCount));
            }
            return doc;
        }

        private static Instant instant(Date date) {
            return date == null ? null : date.toInstant();
        }

        private static Date date(Instant instant) {
            return instant == null ? null : Date.from(instant);
        }
    }
}
