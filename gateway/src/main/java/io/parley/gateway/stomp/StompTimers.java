package io.parley.gateway.stomp;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The STOMP layer's own threads, kept out of the application context as beans on purpose: a second
 * {@code TaskScheduler} or {@code Executor} bean would make other by-type injections (and Boot's executor
 * auto-configuration) ambiguous. The scheduler drives heart-beats and short timers (receipt windows, typing
 * expiry); {@link #worker()} runs the blocking work those timers start (commands), so a slow
 * append never delays a heart-beat.
 */
@Component
class StompTimers implements DisposableBean {
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final ExecutorService worker;

    StompTimers() {
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("stomp-timer-");
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.initialize();
        AtomicInteger n = new AtomicInteger();
        worker = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "stomp-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    ThreadPoolTaskScheduler scheduler() {
        return scheduler;
    }

    ExecutorService worker() {
        return worker;
    }

    @Override
    public void destroy() {
        scheduler.shutdown();
        worker.shutdown();
    }
}
