package io.parley.projections.conversation;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.batching.EndOfBatchInterceptor;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ConversationViewsConfiguration {

    @Bean
    public ConversationCollections conversationCollections(MongoDatabase database) {
        return new ConversationCollections(database);
    }

    /**
     * The views of a batch are written after its last event, before its token (docs/design.md, section 12). The
     * projection is looked up when a batch ends: it needs Axon's update emitter, which needs this module.
     */
    @Bean
    ConfigurerModule conversationViewsEndOfBatch(ObjectProvider<ConversationProjection> projection) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerHandlerInterceptor(
                ConversationProjection.GROUP,
                config -> new EndOfBatchInterceptor(unitOfWork -> projection.getObject().endBatch(unitOfWork))));
    }

    @Bean
    public ConversationViews conversationViews(ConversationCollections collections) {
        return new ConversationViews(collections);
    }
}
