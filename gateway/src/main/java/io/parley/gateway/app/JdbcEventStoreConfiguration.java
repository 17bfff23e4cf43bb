package io.parley.gateway.app;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.GenericDeadLetterTableFactory;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
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


/**
 * The event store of the embedded default: Axon's JDBC storage engine on PostgreSQL (events, snapshots and
 * dead letters in one database). The {@code distributed} profile enables the Axon Server connector, which
 * brings its own event store, and this configuration steps aside.
 */
@Configuration
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
class JdbcEventStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JdbcEventStoreConfiguration.class);

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

    /**
     * Tells a duplicate key (two commands appending the same aggregate sequence: a concurrent modification)
     * from other SQL errors. PostgreSQL reports it as SQLState 23505 on a plain PSQLException, which Axon's
     * JDBC resolver (looking for SQLIntegrityConstraintViolationException) would miss.
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return exception -> {
            for (Throwable t = exception; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        };
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

    /**
     * Declared here rather than left to auto-configuration: the embedded store's consumers (tracking
     * processors, live delivery) are woken on commit from its in-memory tail, so no one polls the table.
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                  org.axonframework.config.Configuration configuration) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .build();
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

    static final class DeadLetterTableInitializer {
    }
}
