package io.parley.projections.search;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon settings of the {@code message-search} processor that the properties file cannot express.
 * <p>
 * No JDBC transaction: nothing it writes lives in PostgreSQL, and without a transaction manager the tracking
 * processor stores its token after the batch was handled (in prepare-commit) instead of before it. With the
 * token in MongoDB, outside any JDBC transaction, storing it first would let a failed Elasticsearch write skip
 * the batch for good. Its token stays in MongoDB with the other read models' tokens (one token store, one
 * reset/replay tool for all); the state collections it keeps there are written just before it.
 */
@Configuration(proxyBeanMethods = false)
class MessageSearchConfiguration {

    @Bean
    ConfigurerModule messageSearchProcessorModule(MessageSearchProjection projection) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTransactionManager(MessageSearchProjection.PROCESSING_GROUP,
                        config -> NoTransactionManager.instance())
                .registerHandlerInterceptor(MessageSearchProjection.PROCESSING_GROUP,
                        config -> new SearchBatchInterceptor(projection)));
    }
}
