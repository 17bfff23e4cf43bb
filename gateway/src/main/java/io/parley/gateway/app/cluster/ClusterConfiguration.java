package io.parley.gateway.app.cluster;

import io.parley.query.presence.SessionRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * Several nodes on one event store ({@code chat.cluster.enabled}, the {@code cluster} profile; README, "Several
 * nodes"): the bus between the nodes, presence shared in PostgreSQL, commands retried after losing an append race,
 * segments spread over the nodes. With one node only the bus is declared, as {@link ClusterBus#NONE}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterConfiguration {

    @Bean
    @ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "false", matchIfMissing = true)
    ClusterBus singleNodeBus() {
        return ClusterBus.NONE;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
    static class SeveralNodes {

        @Bean
        PostgresClusterBus clusterBus(DataSource dataSource, ClusterProperties properties) {
            return new PostgresClusterBus(dataSource, properties.nodeId());
        }

        @Bean
        PostgresPresenceDirectory presenceDirectory(DataSource dataSource, SessionRegistry sessions,
                                                    ClusterBus clusterBus, ClusterProperties properties) {
            return new PostgresPresenceDirectory(new JdbcTemplate(dataSource), sessions, clusterBus, properties);
        }

        @Bean
        ConflictRetryScheduler conflictRetryScheduler(ClusterProperties properties) {
            return new ConflictRetryScheduler(properties.commandRetries());
        }

        /** Replaces Axon's default gateway (declared only when none exists) with one that retries append races. */
        @Bean
        CommandGateway commandGateway(CommandBus commandBus, ConflictRetryScheduler retryScheduler) {
            return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(retryScheduler).build();
        }

        @Bean
        SegmentBalancer segmentBalancer(@Lazy EventProcessingConfiguration processing, TokenStore tokenStore,
                                        PostgresPresenceDirectory presenceDirectory, ClusterProperties properties) {
            return new SegmentBalancer(processing, tokenStore, presenceDirectory, properties);
        }
    }
}
