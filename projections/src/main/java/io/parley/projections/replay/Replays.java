package io.parley.projections.replay;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.RenameCollectionOptions;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds projections from the event store while the live ones keep serving (README, "Replay";
 * docs/design.md, section 4).
 * <p>
 * For every processing group asked for, a second tracking processor ({@code <group>@replay}) runs a fresh
 * instance of the group's handler from the first event, writing into collections of its own beside the live
 * ones ({@code chat.replay.collection-prefix}, {@link PrefixedDatabase}) and, for search, a new index generation. The live processor
 * goes on handling new events into the views everyone reads. When every rebuilding processor has reached the
 * head of the stream, each group is swapped in turn: its live processor stops (a batch at most), the rebuilt
 * collections are renamed over the live ones ({@code renameCollection} with {@code dropTarget}: atomic per
 * collection), the search aliases move in one {@code _aliases} call, the live processor takes the rebuilding
 * one's token and starts again. Events after that token are then handled by the live processor into the
 * rebuilt views; events it had already handled before the token are handled again there, which the handlers'
 * idempotence allows (docs/design.md, section 4). Push and live delivery are not views and are never replayed.
 */
@Component
public class Replays implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);
    private static final String SUFFIX = "@replay";
    private static final long TICK_MILLIS = 250;

    private final Map<String, Rebuildable> rebuildables = new LinkedHashMap<>();
    private final EventProcessingConfiguration processing;
    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final TokenStore tokens;
    private final MongoClient mongo;
    private final String databaseName;
    private final ReplayProperties properties;
    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "replay");
        thread.setDaemon(true);
        return thread;
    });
    private Run current;

    public Replays(List<Rebuildable> rebuildables, EventProcessingConfiguration processing,
                   StreamableMessageSource<TrackedEventMessage<?>> events, TokenStore tokens, MongoClient mongo,
                   @Value("${chat.mongo.database:parley}") String databaseName, ReplayProperties properties,
                   Clock clock) {
        rebuildables.stream().sorted((a, b) -> a.processingGroup().compareTo(b.processingGroup()))
                .forEach(r -> this.rebuildables.put(r.processingGroup(), r));
        this.processing = processing;
        this.events = events;
        this.tokens = tokens;
        this.mongo = mongo;
        this.databaseName = databaseName;
        this.properties = properties;
        this.clock = clock;
    }

    /** The processing groups a replay can rebuild. */
    public Set<String> processors() {
        return rebuildables.keySet();
    }

    /**
     * Starts rebuilding {@code names} (null or empty: all of them) and returns at once.
     *
     * @throws ReplayRefused for a name that is not a rebuildable processor, or while another replay runs
     */
    public synchronized ReplayStatus start(List<String> names) {
        List<String> groups = names == null || names.isEmpty() ? List.copyOf(rebuildables.keySet())
                : List.copyOf(new TreeSet<>(names));
        for (String group : groups) {
            if (!rebuildables.containsKey(group)) {
                throw new ReplayRefused(ReplayRefused.Reason.UNKNOWN_PROCESSOR,
                        "'" + group + "' is not a processor a replay rebuilds; known: " + rebuildables.keySet());
            }
        }
        if (current != null && current.state == ReplayState.RUNNING) {
            throw new ReplayRefused(ReplayRefused.Reason.ALREADY_RUNNING, "replay " + current.id + " is running");
        }
        Run run = new Run(UUID.randomUUID().toString(), groups, clock.instant());
        runs.put(run.id, run);
        current = run;
        try {
            for (String group : groups) {
                run.lanes.add(startLane(run, rebuildables.get(group)));
            }
        } catch (RuntimeException e) {
            fail(run, e);
            return run.status(clock.instant());
        }
        log.info("Replay {} started: rebuilding {} beside the live views", run.id, groups);
        run.ticker = executor.scheduleWithFixedDelay(() -> tick(run), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return run.status(clock.instant());
    }

    public Optional<ReplayStatus> status(String id) {
        return Optional.ofNullable(runs.get(id)).map(run -> run.status(clock.instant()));
    }

    /** Stops a running replay's processors when the application stops; the next replay drops what they wrote. */
    @Override
    public void destroy() {
        executor.shutdownNow();
        Run run = current;
        if (run != null && run.state == ReplayState.RUNNING) {
            run.lanes.forEach(lane -> lane.processor.shutDown());
        }
    }

    private Lane startLane(Run run, Rebuildable rebuildable) {
        String group = rebuildable.processingGroup();
        String name = group + SUFFIX;
        String prefix = properties.collectionPrefix() + group.replace('-', '_') + "__";
        dropPrefixed(prefix); // what an earlier, interrupted replay left
        MongoDatabase target = PrefixedDatabase.of(mongo.getDatabase(databaseName), prefix);
        for (int segment : tokens.fetchSegments(name)) {
            tokens.fetchToken(name, segment); // claims it, so that it may be deleted
            tokens.deleteToken(name, segment);
        }
        Rebuildable.Rebuild rebuild = rebuildable.start(target);
        ListenerInvocationErrorHandler failures = (exception, event, handler) -> {
            run.failure.compareAndSet(null, new IllegalStateException(group + " failed on event "
                    + event.getIdentifier() + " (" + event.getPayloadType().getSimpleName() + "): " + exception,
                    exception));
            throw exception;
        };
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(rebuild.eventHandler())
                        .listenerInvocationErrorHandler(failures)
                        .build())
                .messageSource(events)
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.instance())
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andBatchSize(properties.batchSize())
                        .andInitialTrackingToken(StreamableMessageSource::createTailToken))
                .build();
        rebuild.interceptors().forEach(processor::registerHandlerInterceptor);
        processor.start();
        return new Lane(group, name, prefix, rebuild, processor);
    }

    private void tick(Run run) {
        try {
            Instant now = clock.instant();
            if (run.failure.get() != null) {
                fail(run, run.failure.get());
                return;
            }
            // the head first: a lane at or past where the head was has caught up. (Axon's own caught-up flag is
            // only set after the stream stayed empty for a whole availability timeout, which never happens while
            // people chat.)
            TrackingToken head = events.createHeadToken();
            run.total = head == null ? 0 : head.position().orElse(0);
            long done = Long.MAX_VALUE;
            boolean caughtUp = true;
            for (Lane lane : run.lanes) {
                long position = 0;
                boolean laneCaughtUp = !lane.processor.processingStatus().isEmpty();
                for (EventTrackerStatus status : lane.processor.processingStatus().values()) {
                    position = Math.max(position, status.getCurrentPosition().orElse(0));
                    laneCaughtUp &= !status.isErrorState()
                            && (status.isCaughtUp() || status.getCurrentPosition().orElse(-1) >= run.total);
                }
                done = Math.min(done, position);
                caughtUp &= laneCaughtUp;
            }
            run.done = Math.min(done == Long.MAX_VALUE ? 0 : done, run.total);
            if (Duration.between(run.lastLog, now).compareTo(properties.progressLogInterval()) >= 0) {
                run.lastLog = now;
                ReplayStatus status = run.status(now);
                log.info("Replay {}: {} of {} events, {} events/s, ETA {} s", run.id, status.eventsDone(),
                        status.eventsTotal(), Math.round(status.eventsPerSecond()), status.etaSeconds());
            }
            if (caughtUp) {
                swap(run);
            }
        } catch (RuntimeException e) {
            fail(run, e);
        }
    }

    private void swap(Run run) {
        run.ticker.cancel(false);
        for (Lane lane : run.lanes) {
            StreamingEventProcessor processor = processing.eventProcessor(lane.group, StreamingEventProcessor.class)
                    .orElse(null);
            lane.processor.shutDown();
            TrackingToken token = tokens.fetchToken(lane.name, 0);
            if (processor != null) {
                processor.shutDown();
            }
            try {
                swapViews(run, lane, token);
            } finally {
                // also when the swap failed half-way: the live views must never stay without their processor
                if (processor != null) {
                    processor.start();
                }
            }
        }
        run.finish(ReplayState.DONE, null, clock.instant());
        executor.schedule(() -> run.lanes.forEach(lane -> {
            try {
                lane.rebuild.retireOld();
            } catch (RuntimeException e) {
                log.warn("Replay {}: retiring the replaced views of {} failed", run.id, lane.group, e);
            }
        }), properties.retireDelay().toMillis(), TimeUnit.MILLISECONDS);
        ReplayStatus status = run.status(clock.instant());
        log.info("Replay {} done: {} events in {} s ({} events/s)", run.id, status.eventsDone(),
                Duration.between(status.startedAt(), status.finishedAt()).toSeconds(),
                Math.round(status.eventsPerSecond()));
    }

    private void swapViews(Run run, Lane lane, TrackingToken token) {
        MongoDatabase live = mongo.getDatabase(databaseName);
        Set<String> built = new HashSet<>();
        for (String collection : prefixed(lane.prefix)) {
            String replaced = collection.substring(lane.prefix.length());
            live.getCollection(collection).renameCollection(new MongoNamespace(databaseName, replaced),
                    new RenameCollectionOptions().dropTarget(true));
            built.add(replaced);
        }
        for (String collection : lane.rebuild.replacedCollections()) {
            if (!built.contains(collection)) {
                live.getCollection(collection).drop();
            }
        }
        lane.rebuild.promote();
        int[] segments = tokens.fetchSegments(lane.group);
        if (segments.length == 0) {
            tokens.initializeTokenSegments(lane.group, 1, token);
        }
        for (int segment : segments) {
            tokens.storeToken(token, lane.group, segment);
            tokens.releaseClaim(lane.group, segment);
        }
        tokens.deleteToken(lane.name, 0);
        log.info("Replay {}: {} now serves the rebuilt views (from position {})", run.id, lane.group,
                token == null ? null : token.position().orElse(-1));
    }

    private void fail(Run run, Throwable error) {
        if (run.ticker != null) {
            run.ticker.cancel(false);
        }
        for (Lane lane : run.lanes) {
            try {
                lane.processor.shutDown();
                lane.rebuild.abandon();
                dropPrefixed(lane.prefix);
                tokens.fetchToken(lane.name, 0);
                tokens.deleteToken(lane.name, 0);
            } catch (RuntimeException e) {
                log.warn("Replay {}: cleaning up {} failed", run.id, lane.group, e);
            }
        }
        run.finish(ReplayState.FAILED, String.valueOf(error.getMessage()), clock.instant());
        log.error("Replay {} failed; the live views were left as they were", run.id, error);
    }

    private List<String> prefixed(String prefix) {
        return mongo.getDatabase(databaseName).listCollectionNames().into(new ArrayList<>()).stream()
                .filter(name -> name.startsWith(prefix)).toList();
    }

    private void dropPrefixed(String prefix) {
        prefixed(prefix).forEach(name -> mongo.getDatabase(databaseName).getCollection(name).drop());
    }

    private record Lane(String group, String name, String prefix, Rebuildable.Rebuild rebuild,
                        TrackingEventProcessor processor) {
    }

    private static final class Run {
        final String id;
        final List<String> groups;
        final Instant startedAt;
        final List<Lane> lanes = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile ReplayState state = ReplayState.RUNNING;
        volatile long done;
        volatile long total;
        volatile Instant finishedAt;
        volatile String error;
        Instant lastLog;
        ScheduledFuture<?> ticker;

        Run(String id, List<String> groups, Instant startedAt) {
            this.id = id;
            this.groups = groups;
            this.startedAt = startedAt;
            this.lastLog = startedAt;
        }

        void finish(ReplayState state, String error, Instant at) {
            this.error = error;
            this.finishedAt = at;
            this.state = state;
        }

        ReplayStatus status(Instant now) {
            Instant end = finishedAt == null ? now : finishedAt;
            double seconds = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
            double rate = done / seconds;
            Long eta = state != ReplayState.RUNNING ? Long.valueOf(0)
                    : rate <= 0 ? null : Long.valueOf(Math.round((total - done) / rate));
            return new ReplayStatus(id, groups, state, done, total, rate, eta, startedAt, finishedAt, error);
        }
    }
}
