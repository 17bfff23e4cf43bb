package io.parley.embedded.spring;

import io.parley.embedded.Elapsed;
import io.parley.embedded.stack.ElasticsearchReadiness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the application's start-up (one of the first lifecycle phases, before event processors and the web
 * server) until Elasticsearch answers; fails start-up with the reason when it does not within
 * {@code chat.search.start-timeout}.
 */
public class ElasticsearchStartupGate implements SmartLifecycle {

    /** Early, so that components starting in later phases may use Elasticsearch. */
    public static final int PHASE = Integer.MIN_VALUE + 1000;

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchStartupGate.class);

    private final ElasticsearchReadiness readiness;
    private volatile boolean running;

    public ElasticsearchStartupGate(ElasticsearchReadiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void start() {
        if (!readiness.isReady()) {
            long t0 = System.nanoTime();
            log.info("Waiting for Elasticsearch before reporting ready");
            readiness.await();
            log.info("Elasticsearch ready after waiting {}", Elapsed.since(t0));
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
