package io.parley.gateway.app;

import io.parley.embedded.spring.ElasticsearchStartupGate;
import io.parley.embedded.stack.ElasticsearchReadiness;
import io.parley.projections.search.MessageIndex;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Creates the message index and its aliases during start-up, once Elasticsearch answers and before the event
 * processors and the web server start: creating an index can take seconds on a busy node, which would otherwise
 * land on the first indexed batch or the first search. ({@link MessageIndex#ensureIndex()} stays idempotent and
 * is also called lazily, for a cluster that was wiped while the application ran.)
 */
@Component
class SearchIndexInitializer implements SmartLifecycle {

    private final ElasticsearchReadiness readiness;
    private final MessageIndex index;
    private volatile boolean running;

    SearchIndexInitializer(ElasticsearchReadiness readiness, MessageIndex index) {
        this.readiness = readiness;
        this.index = index;
    }

    @Override
    public void start() {
        readiness.await();
        try {
            index.ensureIndex();
        } catch (RuntimeException raced) {
            // several nodes starting together: another one created the index (or alias) between our check and
            // our create; a second look finds it, and anything else fails start-up as before
            if (!String.valueOf(raced.getMessage()).contains("resource_already_exists_exception")) {
                throw raced;
            }
            index.ensureIndex();
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
        return ElasticsearchStartupGate.PHASE + 1;
    }
}
