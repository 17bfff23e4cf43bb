package io.parley.gateway.app;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.DefaultSnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.ClasspathHandlerDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.tracing.NoOpSpanFactory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** A scheduled snapshot is read and written on the snapshot thread, never on the thread that asked for it. */
class SnapshotConfigurationTest {

    @Test
    void snapshotsAreTakenOffTheCallersThread() throws Exception {
        CompletableFuture<String> readOn = new CompletableFuture<>();
        EventStore eventStore = mock(EventStore.class, invocation -> {
            if (invocation.getMethod().getName().equals("readEvents")) {
                readOn.complete(Thread.currentThread().getName());
            }
            throw new IllegalStateException("no events in this test");
        });
        SnapshotConfiguration configuration = new SnapshotConfiguration();
        SnapshotConfiguration.SnapshotThread thread = configuration.snapshotThread();
        try {
            SpringAggregateSnapshotter snapshotter = configuration.aggregateSnapshotter(
                    mock(org.axonframework.config.Configuration.class),
                    ClasspathHandlerDefinition.forClass(getClass()),
                    ClasspathParameterResolverFactory.forClass(getClass()),
                    eventStore, NoTransactionManager.instance(),
                    DefaultSnapshotterSpanFactory.builder().spanFactory(NoOpSpanFactory.INSTANCE).build(),
                    thread);

            snapshotter.scheduleSnapshot(Object.class, "conversation-1");

            assertThat(readOn.get(10, TimeUnit.SECONDS)).isEqualTo("aggregate-snapshotter");
        } finally {
            thread.destroy();
        }
    }

    @Test
    void aSnapshotAskedForAtShutdownIsDroppedQuietly() {
        SnapshotConfiguration.SnapshotThread thread = new SnapshotConfiguration().snapshotThread();
        thread.destroy();
        thread.execute(() -> { });
    }
}
