package io.parley.gateway.stomp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.MessageHandlingRunnable;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

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
 */
final class SessionOrderedExecutor implements TaskExecutor {
    private static final Logger log = LoggerFactory.getLogger(SessionOrderedExecutor.class);
    static final int FAIRNESS = 64;

    private final ExecutorService pool;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    SessionOrderedExecutor(ExecutorService pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        String session = sessionOf(task);
        if (session == null) {
            pool.execute(() -> runSafely(task));
            return;
        }
        boolean[] start = new boolean[1];
        // the lane is created, fed and (in next()) retired under the map's lock for that key: a lane that is
        // being retired can never receive a frame that then waits for nobody
        Lane lane = lanes.compute(session, (id, existing) -> {
            Lane l = existing != null ? existing : new Lane(id);
            l.tasks.add(task);
            if (!l.scheduled) {
                l.scheduled = true;
                start[0] = true;
            }
            return l;
        });
        if (start[0]) {
            pool.execute(lane);
        }
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
        private boolean scheduled;

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
                runSafely(task);
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
                if (next[0] == null) {
                    scheduled = false;
                    return null;
                }
                return lane;
            });
            return next[0];
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
