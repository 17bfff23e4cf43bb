package io.parley.gateway.stomp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.MessageHandlingRunnable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client outbound channel's executor: frames of one session are written one after the other, in the
 * order they were published, while different sessions are written side by side on a shared pool
 * (docs/design.md, section 11). So a client whose socket stalls holds one thread and its own queue, not
 * everyone's frames; and the order of one conversation's frames, as live delivery publishes them, is the order
 * each of its sessions receives them.
 * <p>
 * Each session has a lane: a FIFO of pending sends, served by at most one pool thread at a time. A busy lane
 * gives its thread back after {@value #FAIRNESS} frames, so a burst to one session cannot starve the others.
 * Lanes exist only while they hold frames.
 * <p>
 * Slow consumers (docs/design.md, section 11; issue 15): a socket write blocks while the client does not read.
 * A watchdog ({@link #watch()}, every {@value #WATCH_MS} ms) counts writes that have taken longer than
 * {@value #STALL_MS} ms and lends the pool one thread for each (up to {@value #MAX_LENT}), so stalled clients
 * never hold the threads everyone else's frames need. A lane whose frames waiting pass the buffer limit, or
 * whose current write has lasted past the send time limit, is cut: its frames are dropped, later ones too,
 * and {@code cut} is told the session id so the session is closed (the client resyncs on reconnect). So a
 * stalled client holds at most the buffer limit of memory, one thread and the time limit.
 */
final class SessionOrderedExecutor implements TaskExecutor {
    private static final Logger log = LoggerFactory.getLogger(SessionOrderedExecutor.class);
    static final int FAIRNESS = 64;
    static final long WATCH_MS = 100;
    static final long STALL_MS = 250;
    static final int MAX_LENT = 64;

    /** When a session is cut off: frames waiting (bytes of payload) and the duration of one write. */
    record Limits(long bufferBytes, Duration sendTime) {
    }

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final Limits limits;
    private final Consumer<String> cut;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Sessions cut off and being closed: their frames are dropped until {@link #forget} is called. */
    private final Set<String> cutOff = ConcurrentHashMap.newKeySet();

    /**
     * @param threads threads writing frames when no write is stalled
     * @param cut     closes a session cut off (called off the caller's lock, may be called once per session)
     */
    SessionOrderedExecutor(int threads, ThreadFactory factory, Limits limits, Consumer<String> cut) {
        this.threads = threads;
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                factory);
        this.limits = limits;
        this.cut = cut;
    }

    @Override
    public void execute(Runnable task) {
        String session = sessionOf(task);
        if (session == null) {
            pool.execute(() -> runSafely(task));
            return;
        }
        if (cutOff.contains(session)) {
            return;
        }
        long size = sizeOf(task);
        boolean[] start = new boolean[1];
        String[] over = new String[1];
        // the lane is created, fed and (in next()) retired under the map's lock for that key: a lane that is
        // being retired can never receive a frame that then waits for nobody
        Lane lane = lanes.compute(session, (id, existing) -> {
            Lane l = existing != null ? existing : new Lane(id);
            if (l.queuedBytes + size > limits.bufferBytes()) {
                over[0] = "its frames waiting passed " + limits.bufferBytes() + " bytes";
            } else if (l.writingLongerThan(limits.sendTime())) {
                over[0] = "a write has taken over " + limits.sendTime().toMillis() + " ms";
            }
            if (over[0] != null) {
                l.drop();
                return l.scheduled ? l : null;
            }
            l.tasks.add(task);
            l.queuedBytes += size;
            if (!l.scheduled) {
                l.scheduled = true;
                start[0] = true;
            }
            return l;
        });
        if (over[0] != null) {
            cutOff(session, over[0]);
        } else if (start[0]) {
            pool.execute(lane);
        }
    }

    /** The session is gone: frames addressed to it later are run (and fail quietly) like any other. */
    void forget(String session) {
        cutOff.remove(session);
    }

    /**
     * Lends a thread for each stalled write and cuts off writes past the time limit; run every
     * {@value #WATCH_MS} ms.
     */
    void watch() {
        long now = System.nanoTime();
        int stalled = 0;
        for (Lane lane : lanes.values()) {
            long since = lane.writingSince;
            if (since == 0) {
                continue;
            }
            long took = now - since;
            if (took > limits.sendTime().toNanos()) {
                lanes.computeIfPresent(lane.id, (id, l) -> {
                    l.drop();
                    return l;
                });
                cutOff(lane.id, "a write has taken " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            }
            if (took > TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
                stalled++;
            }
        }
        int size = threads + Math.min(stalled, MAX_LENT);
        if (size > pool.getCorePoolSize()) {
            pool.setMaximumPoolSize(size);
            pool.setCorePoolSize(size);
        } else if (size < pool.getCorePoolSize()) {
            pool.setCorePoolSize(size);
            pool.setMaximumPoolSize(size);
        }
    }

    private void cutOff(String session, String why) {
        if (cutOff.add(session)) {
            log.info("STOMP session {} is not reading its socket ({}): closing it", session, why);
            cut.accept(session);
        }
    }

    /** Threads writing now (more than configured while writes are stalled). */
    int poolSize() {
        return pool.getCorePoolSize();
    }

    /** Sessions with frames waiting or being written. */
    int activeLanes() {
        return lanes.size();
    }

    void shutdown() {
        pool.shutdown();
    }

    private static String sessionOf(Runnable task) {
        if (task instanceof MessageHandlingRunnable handling) {
            return SimpMessageHeaderAccessor.getSessionId(handling.getMessage().getHeaders());
        }
        return null;
    }

    private static long sizeOf(Runnable task) {
        if (task instanceof MessageHandlingRunnable handling && handling.getMessage().getPayload() instanceof byte[] b) {
            return b.length;
        }
        return 0;
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // one frame's failure must not stop its session's lane
            log.warn("Outbound STOMP frame failed: {}", e.toString());
        }
    }

    private final class Lane implements Runnable {
        private final String id;
        /** Guarded by the map's lock for {@link #id} (only touched inside {@code lanes.compute}). */
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private long queuedBytes;
        private boolean scheduled;
        /** System.nanoTime() when the running frame's write began, 0 while none runs. */
        private volatile long writingSince;

        Lane(String id) {
            this.id = id;
        }

        @Override
        public void run() {
            for (int i = 0; i < FAIRNESS; i++) {
                Runnable task = next();
                if (task == null) {
                    return;
                }
                writingSince = System.nanoTime();
                try {
                    runSafely(task);
                } finally {
                    writingSince = 0;
                }
            }
            // still busy: back of the pool's queue, still scheduled, so no second thread takes this lane
            if (hasMore()) {
                pool.execute(this);
            }
        }

        private Runnable next() {
            Runnable[] next = new Runnable[1];
            lanes.compute(id, (key, lane) -> {
                next[0] = tasks.poll();
                if (next[0] != null) {
                    queuedBytes -= sizeOf(next[0]);
                }
                if (next[0] == null) {
                    scheduled = false;
                    return null;
                }
                return lane;
            });
            return next[0];
        }

        /** Under the map's lock for {@link #id}. */
        private void drop() {
            tasks.clear();
            queuedBytes = 0;
        }

        private boolean writingLongerThan(Duration limit) {
            long since = writingSince;
            return since != 0 && System.nanoTime() - since > limit.toNanos();
        }

        private boolean hasMore() {
            boolean[] more = new boolean[1];
            lanes.compute(id, (key, lane) -> {
                more[0] = !tasks.isEmpty();
                if (!more[0]) {
                    scheduled = false;
                    return null;
                }
                return lane;
            });
            return more[0];
        }
    }
}
