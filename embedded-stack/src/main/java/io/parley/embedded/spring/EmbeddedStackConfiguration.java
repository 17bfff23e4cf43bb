package io.parley.embedded.spring;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.parley.embedded.stack.ChatStackProperties;
import io.parley.embedded.stack.ElasticsearchReadiness;
import io.parley.embedded.stack.EmbeddedStack;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded stack's beans. The stack itself ({@code embeddedStack}, an {@link EmbeddedStack}) is registered
 * by {@link EmbeddedStackStarter} before any singleton is created, so PostgreSQL and Elasticsearch start in
 * parallel with the context; the {@code dataSource} waits for PostgreSQL only, the Elasticsearch client is
 * built at once, and {@link ElasticsearchStartupGate} holds start-up until Elasticsearch answers.
 * <p>
 * A plain configuration, picked up by the application's component scan of {@code io.parley} (not an
 * auto-configuration: its {@code dataSource} and clients must be defined before Boot's and Axon's
 * auto-configurations look for them). It is active in every profile: parts configured with an external URL
 * (the {@code distributed} profile sets all three) start nothing, and these beans then point at those servers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChatStackProperties.class)
public class EmbeddedStackConfiguration {

    @Bean
    public static EmbeddedStackStarter embeddedStackStarter() {
        return new EmbeddedStackStarter();
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(EmbeddedStack embeddedStack) {
        EmbeddedStack.PostgresConnection pg = embeddedStack.awaitPostgres();
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-postgres");
        config.setJdbcUrl(pg.jdbcUrl());
        config.setUsername(pg.username());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(embeddedStack.properties().postgres().poolSize());
        // while PostgreSQL is down (restarting after a crash) a request fails after this wait, as a clear
        // "store unavailable", instead of hanging; Hikari opens new connections by itself once it is back
        config.setConnectionTimeout(embeddedStack.properties().postgres().connectionTimeout().toMillis());
        return new HikariDataSource(config);
    }

    @Bean(destroyMethod = "close")
    public MongoClient mongoClient(EmbeddedStack embeddedStack) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(embeddedStack.mongoConnectionString()))
                .applicationName("parley")
                .build());
    }

    @Bean
    public MongoDatabase mongoDatabase(MongoClient mongoClient, ChatStackProperties properties) {
        return mongoClient.getDatabase(properties.mongo().database());
    }

    @Bean(destroyMethod = "close")
    public RestClient elasticsearchRestClient(EmbeddedStack embeddedStack) {
        // every node of an external cluster (chat.search.url, comma-separated): requests go round-robin, and a
        // node that fails is left out until it answers again
        HttpHost[] nodes = EmbeddedStack.elasticsearchNodes(embeddedStack.elasticsearchUrl()).stream()
                .map(HttpHost::create).toArray(HttpHost[]::new);
        return RestClient.builder(nodes)
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(5_000).setSocketTimeout(60_000))
                .build();
    }

    @Bean
    public ElasticsearchTransport elasticsearchTransport(RestClient elasticsearchRestClient) {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new RestClientTransport(elasticsearchRestClient, new JacksonJsonpMapper(mapper));
    }

    @Bean
    public ElasticsearchClient elasticsearchClient(ElasticsearchTransport elasticsearchTransport) {
        return new ElasticsearchClient(elasticsearchTransport);
    }

    @Bean
    public ElasticsearchReadiness elasticsearchReadiness(EmbeddedStack embeddedStack) {
        return embeddedStack.elasticsearchReadiness();
    }

    @Bean
    public ElasticsearchStartupGate elasticsearchStartupGate(ElasticsearchReadiness elasticsearchReadiness) {
        return new ElasticsearchStartupGate(elasticsearchReadiness);
    }
}
