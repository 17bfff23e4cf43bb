package io.parley.gateway.app;

import io.parley.query.presence.PresenceService;
import io.parley.projections.push.Presence;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the push feature (projections) presence as its {@link Presence} port: a user with an open STOMP session
 * sees new messages live and gets no push. With several nodes that is a session on any node (the shared presence
 * directory), so the node running the push processor's segment decides from the same view as every other.
 */
@Configuration
class PushPresenceWiring {

    @Bean
    Presence pushPresence(PresenceService presence) {
        return presence::isOnlineAnywhere;
    }
}
