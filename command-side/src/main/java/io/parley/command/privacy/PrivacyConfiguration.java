package io.parley.command.privacy;

import io.parley.api.privacy.DataKeys;
import io.parley.api.privacy.PersonalDataCipher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The data keys and the cipher the event serializer encrypts personal data with (README, Account deletion). The
 * Jackson module itself is deliberately no bean: Spring Boot would register every Module bean on the web's
 * ObjectMapper too, and only the event serializer may carry it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
public class PrivacyConfiguration {

    @Bean
    JdbcDataKeys dataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactions, PrivacyProperties properties,
                          Clock clock, @Value("${chat.data-dir:./data}") Path dataDir) {
        return new JdbcDataKeys(jdbc, transactions, MasterKey.resolve(properties, dataDir), properties, clock);
    }

    @Bean
    PersonalDataCipher personalDataCipher(DataKeys keys) {
        return new PersonalDataCipher(keys);
    }

    @Bean
    DeletedAccounts deletedAccounts(JdbcDataKeys keys) {
        return keys::destroyed;
    }
}
