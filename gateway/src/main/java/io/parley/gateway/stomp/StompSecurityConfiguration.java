package io.parley.gateway.stomp;

import io.parley.projections.live.LiveQueue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;

import java.util.Arrays;
import java.util.List;

import static org.springframework.messaging.simp.SimpMessageType.CONNECT;
import static org.springframework.messaging.simp.SimpMessageType.DISCONNECT;
import static org.springframework.messaging.simp.SimpMessageType.HEARTBEAT;
import static org.springframework.messaging.simp.SimpMessageType.OTHER;
import static org.springframework.messaging.simp.SimpMessageType.UNSUBSCRIBE;

/**
 * Who may send which frame, as Spring Security rules on the client inbound channel. A session subscribes only
 * to its own queues ({@code /user/queue/<name>}: never another user's {@code /user/<id>/...} queue, a raw
 * broker {@code /queue/...} name or an {@code /app} destination), and SENDs only to the {@code /app}
 * controllers: a SEND to {@code /user/<id>/...} or {@code /queue/...} would otherwise be routed by Spring
 * straight into another user's queue, a forged frame in their timeline.
 * <p>
 * CONNECT is authenticated by {@link StompInboundInterceptor} (a bearer token), which runs before these rules
 * (its configurer is ordered ahead of Spring Security's); it also answers refused frames. CSRF protection of
 * CONNECT is off: the socket is authenticated by a bearer token in the frame, never by a cookie, so a forged
 * cross-site page has nothing to ride on.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketSecurity
class StompSecurityConfiguration {

    /** The destinations a session may subscribe to: each live queue of its own user. */
    static final List<String> SUBSCRIBABLE = Arrays.stream(LiveQueue.values())
            .map(queue -> "/user" + StompSender.queue(queue)).sorted().toList();

    @Bean
    AuthorizationManager<Message<?>> messageAuthorizationManager(MessageMatcherDelegatingAuthorizationManager.Builder messages) {
        return messages
                .simpTypeMatchers(CONNECT).authenticated()
                // also sent by the server itself when a socket closes, authenticated or not
                .simpTypeMatchers(HEARTBEAT, DISCONNECT).permitAll()
                .simpSubscribeDestMatchers(SUBSCRIBABLE.toArray(String[]::new)).authenticated()
                .simpMessageDestMatchers("/app/**").authenticated()
                .simpTypeMatchers(UNSUBSCRIBE, OTHER).authenticated()
                .anyMessage().denyAll()
                .build();
    }

    /** Replaces Spring Security's CSRF check of CONNECT (the documented way to turn it off): see above. */
    @Bean
    ChannelInterceptor csrfChannelInterceptor() {
        return new ChannelInterceptor() {
        };
    }
}
