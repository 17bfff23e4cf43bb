package io.parley.gateway.push;

import com.mongodb.client.MongoDatabase;
import io.parley.query.presence.SessionRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Push wiring. The processor is always registered, with push on or off: it keeps following devices, members and
 * mutes, so configuring credentials later needs no replay, and it simply sends nothing while off.
 */
@Configuration
class PushConfiguration {

    /**
     * This node's live sessions. In the distributed profile a user connected only to another node counts as
     * offline here and may get a push beside the live frame, until presence is shared between nodes.
     */
    @Bean
    Presence pushPresence(SessionRegistry sessions) {
        return sessions::isOnline;
    }

    @Bean
    PushOutbox pushOutbox(MongoDatabase database, PushDirectory directory, FcmClient fcm, CommandGateway commands,
                          Presence pushPresence, PushProperties properties, Clock clock) {
        PushOutbox outbox = new PushOutbox(database, directory, fcm, commands, pushPresence, properties, clock);
        if (fcm.enabled()) {
            outbox.recover();
        }
        return outbox;
    }
}
