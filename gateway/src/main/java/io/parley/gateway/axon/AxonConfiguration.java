package io.parley.gateway.axon;

import com.mongodb.client.MongoClient;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** Axon settings shared by the embedded default and the distributed profile. */
@Configuration
class AxonConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Tokens of the tracking processors live in MongoDB, beside the read models they guard. */
    @Bean
    TokenStore tokenStore(MongoClient mongoClient, Serializer serializer,
                          @Value("${chat.mongo.database:parley}") String database) {
        return MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(mongoClient, database).build())
                .serializer(serializer)
                .claimTimeout(Duration.ofSeconds(10))
                .build();
    }

}
