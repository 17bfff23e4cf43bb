package io.parley.gateway.app;

import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Health {@code mongo}: {@code {ping: 1}} through the driver. */
public class MongoPingHealthIndicator implements HealthIndicator {

    private final MongoDatabase database;

    public MongoPingHealthIndicator(MongoDatabase database) {
        this.database = database;
    }

    @Override
    public Health health() {
        try {
            Document answer = database.runCommand(new Document("ping", 1));
            Object ok = answer.get("ok");
            boolean up = ok instanceof Number n && n.doubleValue() == 1.0;
            return (up ? Health.up() : Health.down()).withDetail("database", database.getName()).build();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("database", database.getName()).build();
        }
    }
}
