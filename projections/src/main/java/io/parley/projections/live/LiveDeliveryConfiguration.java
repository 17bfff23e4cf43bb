package io.parley.projections.live;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The live-delivery processor: one per node (docs/design.md, section 7: every node delivers to the sessions it holds),
 * so its token lives in memory, and a new node starts at the head of the stream: frames for events from
 * before it started are of no use to anyone (clients catch up through sync).
 * <p>
 * A tracking processor rather than a subscribing one: a subscribing processor runs in the sender's unit of
 * work before the transaction commits, so it could deliver a message whose append then fails, and it adds the
 * fan-out to the sender's command latency. The tracking processor is woken by the embedded event store on
 * commit (no polling interval), sees committed events only, in order, and catches up in batches when behind.
 */
@Configuration(proxyBeanMethods = false)
public class LiveDeliveryConfiguration {
    /**
     * The per-node, in-memory processing group of everything that reacts to events live (frames, the
     * membership and privacy caches): handlers in other packages join it by this name.
     */
    public static final String PROCESSING_GROUP = "live-delivery";

    @Bean
    ConfigurerModule liveDeliveryProcessor(LiveDeliveryProperties properties) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(PROCESSING_GROUP,
                        org.axonframework.config.Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(properties.batchSize())
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTokenStore(PROCESSING_GROUP, c -> new InMemoryTokenStore()));
    }
}
