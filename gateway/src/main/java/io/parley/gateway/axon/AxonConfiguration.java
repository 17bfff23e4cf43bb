package io.parley.gateway.axon;

import com.mongodb.client.MongoClient;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.GenericDeadLetterTableFactory;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;

/**
 * Axon on the embedded default: the JDBC storage engine on PostgreSQL (events, snapshots, dead letters in one
 * database), tracking tokens of the read-model processors in MongoDB next to the read models they describe.
 * The {@code distributed} profile switches the event store to Axon Server and leaves this configuration out.
 */
@Configuration
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
class AxonConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AxonConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    EventSchema eventSchema() {
        return EventSchema.builder().build();
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.defaultSchema();
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          EventSchema eventSchema,
                                          JdbcTemplate jdbc,
                                          @Value("${chat.axon.event-batch-size:500}") int batchSize) {
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                // replays and catch-up read big batches: one round trip per 500 events instead of per 100
                .batchSize(batchSize)
                .build();
        if (jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, eventSchema.domainEventTable())) {
            engine.createSchema(PostgresEventTableFactory.INSTANCE);
            log.info("Created the event store schema ({}, {})", eventSchema.domainEventTable(), eventSchema.snapshotTable());
        }
        return engine;
    }

    /** Creates the dead-letter table the processors' JDBC dead-letter queues (axon.eventhandling.processors.*.dlq) use. */
    @Bean
    DeadLetterTableInitializer deadLetterTableInitializer(ConnectionProvider connectionProvider,
                                                          TransactionManager transactionManager,
                                                          DeadLetterSchema deadLetterSchema,
                                                          Serializer serializer,
                                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                                          JdbcTemplate jdbc) {
        if (jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, deadLetterSchema.deadLetterTable())) {
            JdbcSequencedDeadLetterQueue.builder()
                    .processingGroup("schema")
                    .connectionProvider(connectionProvider)
                    .transactionManager(transactionManager)
                    .schema(deadLetterSchema)
                    .genericSerializer(serializer)
                    .eventSerializer(eventSerializer)
                    .build()
                    .createSchema(new GenericDeadLetterTableFactory() {
                        @Override
                        protected String serializedDataType() {
                            return "BYTEA";
                        }
                    });
            log.info("Created the dead-letter table {}", deadLetterSchema.deadLetterTable());
        }
        return new DeadLetterTableInitializer();
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

    static final class DeadLetterTableInitializer {
    }
}
