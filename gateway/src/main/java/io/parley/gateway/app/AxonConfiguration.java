package io.parley.gateway.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import io.parley.api.conversation.MessageSentUpcaster;
import io.parley.api.conversation.MessageSentWithheldUpcaster;
import io.parley.api.conversation.ChangeClientMessageIdUpcaster;
import io.parley.api.conversation.WatermarkWithheldUpcaster;
import io.parley.api.privacy.PersonalDataCipher;
import io.parley.api.privacy.PersonalDataModule;
import io.parley.projections.batching.PacedTokenStore;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** Axon settings shared by the embedded default and the distributed profile. */
@Configuration
@EnableConfigurationProperties(ProcessorPacing.class)
class AxonConfiguration {

    /**
     * Event processors write MongoDB and Elasticsearch, never PostgreSQL, so they run without a JDBC
     * transaction. That also decides when a tracking processor stores its token: with a transaction manager it
     * stores it as the batch starts (safe only when token and views share that transaction); without one it
     * stores it at prepare-commit, after the handlers ran. Projections that write a whole batch at once do so
     * from an interceptor after the batch's last event, before that prepare-commit (docs/design.md, section 12).
     */
    @Bean
    ConfigurerModule processorsWithoutJdbcTransactions() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerDefaultTransactionManager(config -> NoTransactionManager.instance()));
    }

    /**
     * Event schema changes are read through upcasters, never written back (docs/design.md, section 3). Axon's
     * Spring Boot configuration registers every {@code EventUpcaster} bean in the configuration's upcaster
     * chain: the embedded JDBC engine is built with that chain ({@link JdbcEventStoreConfiguration}), and the
     * distributed profile's Axon Server event store takes the same chain from its auto-configuration.
     */
    @Bean
    EventUpcaster messageSentUpcaster() {
        // one chain, so revision 1 goes to 2 before 2 goes to 3 whatever order the beans are collected in
        return new EventUpcasterChain(new MessageSentUpcaster(), new MessageSentWithheldUpcaster(),
                new ChangeClientMessageIdUpcaster(), new WatermarkWithheldUpcaster());
    }

    /**
     * The event serializer, as {@code axon.serializer.events: jackson} would build it, on a copy of the application's
     * ObjectMapper that also carries {@link PersonalDataModule}: personal fields of events are stored encrypted
     * with their author's data key (README, Account deletion). Only events (and their dead letters) go through it;
     * the web's JSON, snapshots, tokens and messages between nodes keep the plain mapper. Axon's auto-configuration
     * steps aside for a bean with this qualifier, and both event stores (JDBC, Axon Server) take it.
     */
    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(ObjectMapper objectMapper, RevisionResolver revisionResolver,
                               PersonalDataCipher cipher) {
        return JacksonSerializer.builder()
                .revisionResolver(revisionResolver)
                .converter(new ChainingConverter(getClass().getClassLoader()))
                .objectMapper(objectMapper.copy().registerModule(new PersonalDataModule(cipher)))
                .build();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Tokens of the tracking processors live in MongoDB, beside the read models they guard. With several nodes
     * the token is also the segment's claim: its owner renews it with every batch (and while idle), and a claim
     * older than {@code chat.axon.claim-timeout} (a node killed or cut off) is taken by the next node asking.
     * Processors listed in {@code chat.axon.pacing} wait a little after each batch while they keep up
     * ({@link PacedTokenStore}).
     */
    @Bean
    TokenStore tokenStore(MongoClient mongoClient, Serializer serializer,
                          @Value("${chat.mongo.database:parley}") String database,
                          @Value("${chat.axon.claim-timeout:10s}") Duration claimTimeout,
                          ProcessorPacing pacing) {
        return new PacedTokenStore(MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(mongoClient, database).build())
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .build(), pacing.pacing());
    }

}
