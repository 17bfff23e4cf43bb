package io.parley.gateway.app;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.GenericDeadLetterTableFactory;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every processor parks what its handlers fail on and goes on (docs/design.md section 4, projection faults):
 * the queues themselves come from {@code axon.eventhandling.processors.*.dlq}; this registers the one enqueue
 * policy they all use, which always parks and makes the stored cause safe for PostgreSQL ({@link ParkingPolicy}).
 * The queues live in PostgreSQL whatever the event store: the JDBC engine (embedded default, {@code cluster}) or
 * Axon Server ({@code distributed}, where PostgreSQL also holds handles and credentials); so the table is created
 * here, for every profile.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.defaultSchema();
    }

    @Bean
    ConfigurerModule parkEveryFailure() {
        ParkingPolicy policy = new ParkingPolicy();
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerDefaultDeadLetterPolicy(config -> policy));
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
