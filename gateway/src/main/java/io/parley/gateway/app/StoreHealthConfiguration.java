package io.parley.gateway.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.mongodb.client.MongoDatabase;
import io.parley.embedded.stack.EmbeddedStack;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of the read-model stores, embedded or external alike: the application builds its own MongoDB and
 * Elasticsearch clients, so Boot's indicators for them are switched off and these take their names. Also the
 * supervision of the embedded children ({@code embeddedStack}) and its restart counter.
 */
@Configuration(proxyBeanMethods = false)
public class StoreHealthConfiguration {

    /** Health {@code mongo}. */
    @Bean
    public MongoPingHealthIndicator mongoHealthIndicator(MongoDatabase mongoDatabase) {
        return new MongoPingHealthIndicator(mongoDatabase);
    }

    /** Health {@code elasticsearch} (the name makes Boot's own indicator back off). */
    @Bean
    public ElasticsearchClusterHealthIndicator elasticsearchHealthIndicator(ElasticsearchClient elasticsearchClient) {
        return new ElasticsearchClusterHealthIndicator(elasticsearchClient);
    }

    /** Health {@code embeddedStack}: state and restarts of the supervised PostgreSQL and Elasticsearch. */
    @Bean
    public EmbeddedStackHealthIndicator embeddedStackHealthIndicator(EmbeddedStack embeddedStack) {
        return new EmbeddedStackHealthIndicator(embeddedStack);
    }

    /** The counter {@code parley.embedded.restarts} (tag {@code part}). */
    @Bean
    public EmbeddedStackMetrics embeddedStackMetrics(EmbeddedStack embeddedStack) {
        return new EmbeddedStackMetrics(embeddedStack);
    }
}
