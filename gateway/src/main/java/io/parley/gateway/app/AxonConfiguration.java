package io.parley.gateway.app;

import com.mongodb.client.MongoClient;
import io.parley.api.conversation.MessageSentUpcaster;
import io.parley.api.conversation.MessageSentWithheldUpcaster;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** Axon settings shared by the embedded default and the distributed profile. */
@Configuration
class AxonConfiguration {

    /**
     * Event processors write MongoDB and Elasticsearch, never PostgreSQL, so they run without a JDBC
     * transaction. That also decides when a tracking processor stores its token: with a transaction manager it
     * stores it as the batch starts (safe only when token and views share that transaction); without one it
     * stores it at prepare-commit, after the projections have flushed their batch. With tokens in MongoDB the
     * second order is the one that never skips a batch whose writes failed.
     */
    @Bean
    ConfigurerModule processorsWithoutJdbcTransactions() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerDefaultTransactionManager(config -> NoTransactionManager.instance()));
    }

    /**
     * Event schema changes are read through upcasters, never written back (docs/design.md, section 3). Axon's
     * Spring Boot configuration registers every {@code EventUpcaster} bean in the configuration's upcaster
     * chain: the embedded JDBC engine is built with that chain ({@link JdbcEventStoreConfiguration}), and the
     * distributed profile's Axon Server event store takes the same chain from its auto-configuration.
     */
    @Bean
    EventUpcaster messageSentUpcaster() {
        // one chain, so revision 1 goes to 2 before 2 goes to 3 whatever order the beans are collected in
        return new EventUpcasterChain(new MessageSentUpcaster(), new MessageSentWithheldUpcaster());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Tokens of the tracking processors live in MongoDB, beside the read models they guard. */
    @Bean
    TokenStore tokenStore(MongoClient mongoClient, Serializer serializer,
                          @Value("${chat.mongo.database:parley}") String database) {
        return MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(mongoClient, database).build())
                .serializer(serializer)
                .claimTimeout(Duration.ofSeconds(10))
                .build();
    }

}
