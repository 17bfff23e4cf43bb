package io.parley.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.api.privacy.PersonalDataCipher;
import io.parley.api.privacy.PersonalDataModule;
import io.parley.projections.audit.AuditChainConfiguration;
import io.parley.projections.audit.StoredEvents;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The auditors' reads; with the JDBC event store only, like the store reader they use. */
@Configuration
@Conditional(AuditChainConfiguration.JdbcEventStore.class)
class AuditQueryConfiguration {

    @Bean
    EventDecoder auditEventDecoder(@Qualifier("eventSerializer") Serializer eventSerializer,
                                   org.axonframework.config.Configuration axon, ObjectMapper objectMapper,
                                   PersonalDataCipher cipher) {
        return new EventDecoder(eventSerializer, axon.upcasterChain(), objectMapper,
                tree -> PersonalDataModule.readable(tree, cipher));
    }

    @Bean
    AuditLog auditLog(StoredEvents storedEvents, EventDecoder auditEventDecoder, AuditProperties properties) {
        return new AuditLog(storedEvents, auditEventDecoder, properties);
    }
}
