package io.parley.gateway.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Health {@code elasticsearch}: {@code GET /_cluster/health}, green or yellow = UP. */
public class ElasticsearchClusterHealthIndicator implements HealthIndicator {

    private final ElasticsearchClient client;

    public ElasticsearchClusterHealthIndicator(ElasticsearchClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        try {
            HealthResponse r = client.cluster().health();
            boolean up = r.status() == HealthStatus.Green || r.status() == HealthStatus.Yellow;
            return (up ? Health.up() : Health.down())
                    .withDetail("cluster", r.clusterName())
                    .withDetail("status", r.status().jsonValue())
                    .withDetail("nodes", r.numberOfNodes())
                    .build();
        } catch (Exception e) {
            return Health.down(e).build();
        }
    }
}
