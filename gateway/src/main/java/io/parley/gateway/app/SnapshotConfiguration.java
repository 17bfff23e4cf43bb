package io.parley.gateway.app;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The aggregate snapshotter, as Axon's auto-configuration would declare it but with a thread of its own: with the
 * default (direct) executor the snapshot due every {@code chat.conversation.snapshot-threshold} events is read and
 * written after the commit but still on the command's thread, before the sender gets its answer; here it is
 * only handed over (docs/design.md, section 3). Axon skips a snapshot already scheduled for the same aggregate,
 * so the queue holds at most one task per aggregate, and a snapshot is an optimization: one lost at shutdown
 * only means a longer event stream to read next time.
 */
@Configuration(proxyBeanMethods = false)
class SnapshotConfiguration {

    @Bean
    SnapshotThread snapshotThread() {
        return new SnapshotThread();
    }

    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore,
                                                    TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory,
                                                    SnapshotThread thread) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(thread::execute)
                .build();
    }

    /**
     * One daemon thread taking snapshots in turn. Deliberately not a {@code java.util.concurrent.Executor} bean:
     * Spring Boot would take one for its application task executor and step its own aside.
     */
    static final class SnapshotThread implements DisposableBean {

        private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "aggregate-snapshotter");
            thread.setDaemon(true);
            return thread;
        });

        /** Called after a command's commit: refusing there (at shutdown) would fail a command already stored. */
        void execute(Runnable task) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                // no snapshot this time
            }
        }

        /** A snapshot still queued is dropped: the store may already be closing. */
        @Override
        public void destroy() {
            executor.shutdownNow();
        }
    }
}
