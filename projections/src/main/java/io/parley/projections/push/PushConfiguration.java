package io.parley.projections.push;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/**
 * Push wiring. While push is off (no credentials) there is no push processor at all, so events cost it nothing;
 * when credentials are configured later, the processor catches up from its token (or replays to the head once,
 * rebuilding its directory without pushing old messages). The
 * {@link Presence} bean comes from whoever tracks live sessions. The outbox lives in PostgreSQL (the event store's
 * database), the directory it reads in MongoDB.
 */
@Configuration
class PushConfiguration {

    @Bean
    PushOutbox pushOutbox(JdbcTemplate jdbc, PushDirectory directory, FcmClient fcm, CommandGateway commands,
                          Presence pushPresence, PushProperties properties, Clock clock) {
        PushOutbox outbox = new PushOutbox(jdbc, directory, fcm, commands, pushPresence, properties, clock);
        if (fcm.enabled()) {
            outbox.recover();
        }
        return outbox;
    }
}
