package io.parley.gateway.stomp;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;


/**
 * STOMP 1.2 over WebSocket (docs/design.md, section 5), grown from Spring's smallest broker configuration: the simple
 * in-memory broker serves only {@code /queue} (every frame goes to one user's queue; there are no shared
 * topics), {@code /app} reaches {@link MessagingController}, {@code /user} resolves to a user's sessions.
 * <p>
 * Publish order is preserved per session by {@link SessionOrderedExecutor} on the outbound channel, so frames
 * of one conversation arrive in seq order, as live delivery publishes them (in order per conversation).
 * <p>
 * Ordered just ahead of Spring Security's configurer, so {@link StompInboundInterceptor} authenticates CONNECT
 * before the security rules look at it.
 */
@Configuration
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
@EnableWebSocketMessageBroker
class StompConfiguration implements WebSocketMessageBrokerConfigurer, DisposableBean {

    /** One STOMP frame at most, in one or several WebSocket messages; README, STOMP section, Limits. */
    static final int MESSAGE_SIZE_LIMIT = 256 * 1024;
    /**
     * The container's read buffer per session, in characters for text (Tomcat holds two bytes each) and bytes for
     * binary: a chat frame is mostly under it, a larger one arrives in parts ({@link #webSocketContainer()}).
     */
    static final int CONTAINER_BUFFER = 2 * 1024;

    private final StompProperties properties;
    private final StompInboundInterceptor inbound;
    private final StompTimers timers;
    private final SessionOrderedExecutor outbound;
    private final OutboundSessions sessions;

    StompConfiguration(StompProperties properties, StompInboundInterceptor inbound, StompTimers timers) {
        this.properties = properties;
        this.inbound = inbound;
        this.timers = timers;
        this.sessions = new OutboundSessions(properties.sendTimeLimit(), properties.connectTimeout(),
                timers.scheduler(), daemons("stomp-close-"),
                this::sessionClosed);
        this.outbound = new SessionOrderedExecutor(properties.outboundThreads(), daemons("clientOutbound-"),
                new SessionOrderedExecutor.Limits(properties.sendBufferSizeLimit().toBytes(),
                        properties.sendTimeLimit()), sessions::close);
        timers.scheduler().scheduleWithFixedDelay(outbound::watch,
                java.time.Duration.ofMillis(SessionOrderedExecutor.WATCH_MS));
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        String[] origins = properties.allowedOrigins().toArray(String[]::new);
        registry.addEndpoint(properties.endpoint()).setAllowedOriginPatterns(origins);
        if (properties.sockjs()) {
            registry.addEndpoint(properties.endpoint() + "-sockjs").setAllowedOriginPatterns(origins).withSockJS();
        }
        // a protocol error answers with an ERROR frame that explains itself (Spring's default sends none
        // for some failures); it never reveals internals
        registry.setErrorHandler(new StompErrors());
        // one session's frames are handled one after the other: a client's messages get seqs in the order it
        // sent them, and a burst from one client cannot occupy every inbound thread waiting on one aggregate
        registry.setPreserveReceiveOrder(true);
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        long beat = properties.heartbeat().toMillis();
        registry.enableSimpleBroker("/queue")
                .setHeartbeatValue(new long[]{beat, beat})
                .setTaskScheduler(timers.scheduler());
        registry.setApplicationDestinationPrefixes("/app");
        registry.setUserDestinationPrefix("/user");
        // no setPreservePublishOrder: the outbound executor keeps each session's order itself
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(inbound);
        registration.taskExecutor().corePoolSize(properties.inboundThreads()).maxPoolSize(properties.inboundThreads());
    }

    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        registration.executor(outbound);
    }

    /** A CONNECT accepted: the session is past its connect deadline ({@link OutboundSessions}). */
    @org.springframework.context.event.EventListener
    void sessionConnected(org.springframework.web.socket.messaging.SessionConnectedEvent event) {
        String sessionId = org.springframework.messaging.simp.SimpMessageHeaderAccessor.getSessionId(
                event.getMessage().getHeaders());
        if (sessionId != null) {
            sessions.connected(sessionId);
        }
    }

    private void sessionClosed(String sessionId) {
        outbound.forget(sessionId);
    }

    @Override
    public void destroy() {
        outbound.shutdown();
        sessions.shutdown();
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        // frames to a client that stopped reading wait in its lane of the outbound executor, which cuts the
        // session off past these limits (it resyncs through /api/sync on reconnect); Spring's decorator gets
        // the same limits, though with one writer per session its own buffer stays empty
        registration.setSendTimeLimit((int) properties.sendTimeLimit().toMillis())
                .setSendBufferSizeLimit((int) properties.sendBufferSizeLimit().toBytes())
                .setMessageSizeLimit(MESSAGE_SIZE_LIMIT)
                .addDecoratorFactory(sessions);
        if (!properties.sockjs()) {
            // SockJS sessions take whole messages only, so their buffers keep the full size (webSocketContainer)
            registration.addDecoratorFactory(new PartialMessages(CONTAINER_BUFFER));
        }
    }

    /**
     * The servlet container's WebSocket read buffers, allocated per session when it opens. With plain WebSocket,
     * {@link PartialMessages} lets a frame larger than these arrive in parts, so they stay small: an idle
     * connection then costs kilobytes, not the 0.8 MB that buffers sized for a whole 256 KB frame took (README,
     * Performance, "Idle connections"). SockJS hands the container its own handler, which takes whole messages
     * only, so with SockJS on they stay as large as the STOMP message size limit: Tomcat's 8 KB default closed a
     * session with 1009 and no ERROR frame on a 10 KB frame (found by HostileInputIT, issue 15).
     */
    @org.springframework.context.annotation.Bean
    org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean webSocketContainer() {
        var container = new org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean();
        int buffer = properties.sockjs() ? MESSAGE_SIZE_LIMIT : CONTAINER_BUFFER;
        container.setMaxTextMessageBufferSize(buffer);
        container.setMaxBinaryMessageBufferSize(buffer);
        return container;
    }

    /**
     * Tomcat's application read and write buffers per connection, 8 KB each by default and held for as long as
     * the connection is open: 4 KB each saves 8 KB per idle WebSocket (README, Performance, "Idle connections").
     * HTTP keeps working unchanged: request headers are read into their own buffer, and Tomcat writes a response
     * body larger than the buffer straight to the socket.
     */
    @org.springframework.context.annotation.Bean
    static org.springframework.boot.web.server.WebServerFactoryCustomizer<
            org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory> socketBuffers() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            for (String property : new String[]{"socket.appReadBufSize", "socket.appWriteBufSize"}) {
                if (!connector.setProperty(property, String.valueOf(SOCKET_BUFFER))) {
                    throw new IllegalStateException("Tomcat refused " + property);
                }
            }
        });
    }

    /** {@link #socketBuffers()}, in bytes. */
    static final int SOCKET_BUFFER = 4 * 1024;

    private static CustomizableThreadFactory daemons(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }
}
