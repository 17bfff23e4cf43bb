package io.parley.bench.stomp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.net.URI;
import java.util.List;

/**
 * The generator's STOMP client: one Spring {@link WebSocketStompClient} on {@link StandardWebSocketClient}
 * (Tomcat's JSR-356 client) shared by every virtual user. Frame bodies are mapped by Jackson both ways
 * ({@code application/json}); text bodies (the platform's ERROR frames are {@code text/plain}) read as Strings.
 * Spring sends and checks the heart-beats itself and closes a session whose server went silent.
 */
public final class StompClient implements AutoCloseable {

    private final WebSocketStompClient client;
    private final ThreadPoolTaskScheduler heartbeats;
    private final ThreadPoolTaskExecutor connects;

    /**
     * @param heartbeatMs    heart-beat interval offered both ways in every CONNECT
     * @param connectThreads threads that run WebSocket handshakes (Tomcat's client connects blocking)
     */
    public StompClient(int heartbeatMs, int connectThreads) {
        connects = new ThreadPoolTaskExecutor();
        connects.setCorePoolSize(connectThreads);
        connects.setMaxPoolSize(connectThreads);
        connects.setDaemon(true);
        connects.setThreadNamePrefix("ws-connect-");
        connects.initialize();
        // Tomcat's client container buffers 8 KB of a text message by default and closes with 1009 past it.
        // The bench's frames are under 1 KB; 32K characters leave room, and the buffer is allocated per session
        // up front (Spring's STOMP client takes whole messages only): at 1 MB each, 3,000 sessions filled a 6 GB
        // generator heap. A frame past it closes that session, which the report counts.
        jakarta.websocket.WebSocketContainer container = jakarta.websocket.ContainerProvider.getWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(32 * 1024);
        StandardWebSocketClient ws = new StandardWebSocketClient(container);
        ws.setTaskExecutor(connects);
        heartbeats = new ThreadPoolTaskScheduler();
        heartbeats.setPoolSize(1);
        heartbeats.setDaemon(true);
        heartbeats.setThreadNamePrefix("stomp-hb-");
        heartbeats.initialize();
        client = new WebSocketStompClient(ws);
        client.setMessageConverter(frameConverter());
        client.setTaskScheduler(heartbeats);
        client.setDefaultHeartbeat(new long[]{heartbeatMs, heartbeatMs});
        client.setInboundMessageSizeLimit(32 * 1024);
    }

    /**
     * Frame bodies to and from objects: text as Strings, JSON by Jackson into records that name only the
     * fields the generator reads (the platform's frames carry more).
     */
    public static MessageConverter frameConverter() {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        return new CompositeMessageConverter(List.of(new StringMessageConverter(), new MappingJackson2MessageConverter(json)));
    }

    /**
     * Starts a session: CONNECT with the bearer token (as {@code Authorization} and as {@code passcode}, as the
     * platform accepts either); {@link UserSession#connected()} completes on CONNECTED.
     */
    public UserSession open(URI uri, String host, String bearer, UserSession.Listener listener) {
        return UserSession.open(client, uri, host, bearer, listener);
    }

    @Override
    public void close() {
        client.stop();
        heartbeats.shutdown();
        connects.shutdown();
    }
}
