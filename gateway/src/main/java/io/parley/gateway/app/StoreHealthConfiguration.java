package io.parley.gateway.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.mongodb.client.MongoDatabase;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of the read-model stores, embedded or external alike: the application builds its own MongoDB and
 * Elasticsearch clients, so Boot's indicators for them are switched off and these take their names.
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
}
