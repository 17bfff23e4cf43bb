package io.parley.projections.audit;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.batching.EndOfBatchInterceptor;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit chain and the store reader it hashes from. Only with the JDBC event store (the embedded default and
 * a managed PostgreSQL): auditors read the store's rows as PostgreSQL holds them, which Axon Server (the
 * {@code distributed} profile) does not expose.
 */
@Configuration
@Conditional(AuditChainConfiguration.JdbcEventStore.class)
public class AuditChainConfiguration {

    /** As the gateway's JDBC event store configuration: on unless {@code axon.axonserver.enabled} is true. */
    public static final class JdbcEventStore implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !"true".equalsIgnoreCase(context.getEnvironment().getProperty("axon.axonserver.enabled", "false"));
        }
    }

    @Bean
    StoredEvents storedEvents(JdbcTemplate jdbc, EventSchema eventSchema) {
        return new JdbcStoredEvents(jdbc, eventSchema);
    }

    @Bean
    ChainLinks chainLinks(MongoDatabase database) {
        return new ChainLinks(database);
    }

    @Bean
    AuditChainProjection auditChainProjection(StoredEvents storedEvents, ChainLinks chainLinks,
                                              AuditChainProperties properties) {
        return new AuditChainProjection(storedEvents, chainLinks, properties);
    }

    @Bean
    AuditChainRebuild auditChainRebuild(StoredEvents storedEvents, AuditChainProperties properties) {
        return new AuditChainRebuild(storedEvents, properties);
    }

    @Bean
    ChainVerifier chainVerifier(StoredEvents storedEvents, ChainLinks chainLinks, AuditChainProperties properties) {
        return new ChainVerifier(storedEvents, chainLinks, properties);
    }

    /**
     * A handler error fails the whole batch, which the processor retries (with back-off) instead of logging it and
     * moving on, Axon's default: a link skipped would break the chain for every event after it.
     */
    @Bean
    ConfigurerModule auditChainErrorHandling() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(AuditChainProjection.GROUP,
                        config -> PropagatingErrorHandler.instance()));
    }

    /** The links of a batch are written after its last event, before its token (docs/design.md, section 12). */
    @Bean
    ConfigurerModule auditChainEndOfBatch(AuditChainProjection projection) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerHandlerInterceptor(
                AuditChainProjection.GROUP, config -> new EndOfBatchInterceptor(projection)));
    }
}
