package io.parley.gateway.app;

import io.parley.query.presence.SessionRegistry;
import io.parley.projections.push.Presence;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the push feature (projections) this node's live sessions as its {@link Presence} port: a user with an open
 * STOMP session sees new messages live and gets no push.
 */
@Configuration
class PushPresenceWiring {

    /**
     * In the distributed profile a user connected only to another node counts as offline here and may get a push
     * beside the live frame, until presence is shared between nodes.
     */
    @Bean
    Presence pushPresence(SessionRegistry sessions) {
        return sessions::isOnline;
    }
}
