package io.parley.projections.live;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.async.AsynchronousEventProcessingStrategy;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live-delivery processor: one per node (docs/design.md, section 7: every node delivers to the sessions it
 * holds). Two ways to feed it ({@link LiveDeliveryProperties#source()}):
 * <ul>
 * <li>{@code commit} (one node, the default): a subscribing processor whose events are handed to a small pool
 * by Axon's {@link AsynchronousEventProcessingStrategy}, which schedules them in the unit of work's
 * after-commit phase: only stored events are delivered, the sender's command does not wait for the fan-out,
 * and a frame leaves as soon as its transaction commits, without waiting for the event store's producer and a
 * tracking processor's next batch (docs/design.md, section 11). Events of one conversation stay in order
 * ({@link SequentialPerAggregatePolicy}); conversations are delivered side by side.</li>
 * <li>{@code stream} (several nodes): a tracking processor on the event stream, token in memory, starting at
 * the head, so a node also delivers the events other nodes stored; clients catch up on anything older
 * through sync.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class LiveDeliveryConfiguration {
    /**
     * The per-node, in-memory processing group of everything that reacts to events live (frames, the
     * membership and privacy caches): handlers in other packages join it by this name.
     */
    public static final String PROCESSING_GROUP = "live-delivery";

    @Bean
    LiveDeliveryThreads liveDeliveryThreads(LiveDeliveryProperties properties) {
        return new LiveDeliveryThreads(properties.source() == LiveDeliveryProperties.Source.COMMIT
                ? Executors.newFixedThreadPool(properties.threads(), daemons("live-delivery-"))
                : null);
    }

    @Bean
    ConfigurerModule liveDeliveryProcessor(LiveDeliveryProperties properties, LiveDeliveryThreads threads) {
        if (properties.source() == LiveDeliveryProperties.Source.STREAM) {
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerTrackingEventProcessor(PROCESSING_GROUP,
                            org.axonframework.config.Configuration::eventStore,
                            c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                    .andBatchSize(properties.batchSize())
                                    .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                    .registerTokenStore(PROCESSING_GROUP, c -> new InMemoryTokenStore()));
        }
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerEventProcessor(PROCESSING_GROUP, (name, config, invoker) ->
                        SubscribingEventProcessor.builder()
                                .name(name)
                                .eventHandlerInvoker(invoker)
                                .messageSource(config.eventStore())
                                .processingStrategy(new AsynchronousEventProcessingStrategy(threads.executor(),
                                        SequentialPerAggregatePolicy.instance()))
                                // frames and caches only: nothing transactional to join
                                .transactionManager(NoTransactionManager.instance())
                                .errorHandler(config.eventProcessingConfiguration().errorHandler(name))
                                .messageMonitor(config.messageMonitor(SubscribingEventProcessor.class, name))
                                .build()));
    }

    /** The delivery pool of the {@code commit} source, stopped with the application. */
    record LiveDeliveryThreads(ExecutorService executor) implements DisposableBean {
        @Override
        public void destroy() {
            if (executor != null) {
                executor.shutdown();
            }
        }
    }

    private static CustomizableThreadFactory daemons(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }
}
