package io.parley.gateway.app;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
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
 * The event store of the embedded default and the {@code cluster} profile: Axon's JDBC storage engine on PostgreSQL
 * (events and snapshots; the dead letters beside them, {@link DeadLetterConfiguration}). The {@code distributed} profile enables the Axon Server connector, which
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
     * processors, live delivery) are woken on commit from its in-memory tail, so with one node no one polls the
     * table; events other nodes stored are found by the reader's poll every {@code chat.axon.fetch-delay}.
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                  org.axonframework.config.Configuration configuration,
                                  @Value("${chat.axon.fetch-delay:1s}") java.time.Duration fetchDelay) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                // how long the store's reader waits before it asks the table again when nothing was committed
                // here: with several nodes (cluster profile: 100 ms) that is how soon another node's events arrive
                .fetchDelay(fetchDelay.toMillis())
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .build();
    }
}
