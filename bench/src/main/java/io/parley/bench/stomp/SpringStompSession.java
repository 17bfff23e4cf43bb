package io.parley.bench.stomp;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.MimeType;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.lang.reflect.Type;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The same session over Spring's {@link WebSocketStompClient} on {@link StandardWebSocketClient} (Tomcat's
 * JSR-356 client), kept so the generator's own CPU cost can be compared with the JDK client
 * ({@code --client=spring}).
 */
public final class SpringStompSession implements StompSession {

    private static volatile WebSocketStompClient sharedClient;

    private final Handler handler;
    private final CompletableFuture<StompFrame> connected = new CompletableFuture<>();
    private volatile org.springframework.messaging.simp.stomp.StompSession session;
    private volatile boolean open;
    private volatile long lastReceived = System.nanoTime();

    private SpringStompSession(Handler handler) {
        this.handler = handler;
    }

    private static WebSocketStompClient client(int heartbeatMs) {
        if (sharedClient == null) {
            synchronized (SpringStompSession.class) {
                if (sharedClient == null) {
                    WebSocketStompClient c = new WebSocketStompClient(new StandardWebSocketClient());
                    c.setMessageConverter(new JsonText());
                    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
                    scheduler.setPoolSize(1);
                    scheduler.setDaemon(true);
                    scheduler.setThreadNamePrefix("stomp-hb-");
                    scheduler.initialize();
                    c.setTaskScheduler(scheduler);
                    c.setDefaultHeartbeat(new long[]{heartbeatMs, heartbeatMs});
                    c.setInboundMessageSizeLimit(1024 * 1024);
                    sharedClient = c;
                }
            }
        }
        return sharedClient;
    }

    public static SpringStompSession open(URI uri, String bearer, int heartbeatMs, Handler handler) {
        SpringStompSession s = new SpringStompSession(handler);
        StompHeaders connectHeaders = new StompHeaders();
        connectHeaders.set("Authorization", "Bearer " + bearer);
        connectHeaders.setPasscode(bearer);
        client(heartbeatMs).connectAsync(uri, null, connectHeaders, new StompSessionHandlerAdapter() {
            @Override
            public void afterConnected(org.springframework.messaging.simp.stomp.StompSession session, StompHeaders headers) {
                s.session = session;
                s.open = true;
                s.lastReceived = System.nanoTime();
                s.connected.complete(new StompFrame("CONNECTED", headers.toSingleValueMap(), ""));
            }

            @Override
            public void handleException(org.springframework.messaging.simp.stomp.StompSession session, StompCommand command,
                                        StompHeaders headers, byte[] payload, Throwable exception) {
                handler.onError(s, String.valueOf(exception));
            }

            @Override
            public void handleTransportError(org.springframework.messaging.simp.stomp.StompSession session, Throwable exception) {
                s.open = false;
                s.connected.completeExceptionally(exception);
                handler.onClosed(s, String.valueOf(exception));
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                // ERROR frames arrive here
                s.connected.completeExceptionally(new IllegalStateException("STOMP ERROR " + headers.getFirst("message")));
                handler.onError(s, headers.getFirst("message") + ": " + payload);
            }

            @Override
            public Type getPayloadType(StompHeaders headers) {
                return String.class;
            }
        }).whenComplete((x, e) -> {
            if (e != null) {
                s.connected.completeExceptionally(e);
            }
        });
        return s;
    }

    @Override
    public CompletableFuture<StompFrame> connected() {
        return connected;
    }

    @Override
    public void subscribe(String id, String destination) {
        StompHeaders h = new StompHeaders();
        h.setDestination(destination);
        h.setId(id);
        session.subscribe(h, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return String.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                lastReceived = System.nanoTime();
                handler.onMessage(SpringStompSession.this, id, (String) payload);
            }
        });
    }

    private static final MimeType JSON = MimeType.valueOf("application/json");

    /** JSON bodies as Strings both ways (Spring's StringMessageConverter takes text/plain only). */
    static final class JsonText extends org.springframework.messaging.converter.AbstractMessageConverter {
        JsonText() {
            super(java.util.List.of(JSON, org.springframework.util.MimeTypeUtils.TEXT_PLAIN));
            setStrictContentTypeMatch(false);
        }

        @Override
        protected boolean supports(Class<?> clazz) {
            return String.class == clazz;
        }

        @Override
        protected Object convertFromInternal(org.springframework.messaging.Message<?> message, Class<?> targetClass, Object conversionHint) {
            Object p = message.getPayload();
            return p instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : p.toString();
        }

        @Override
        protected Object convertToInternal(Object payload, org.springframework.messaging.MessageHeaders headers, Object conversionHint) {
            return ((String) payload).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void send(String destination, String jsonBody) {
        StompHeaders h = new StompHeaders();
        h.setDestination(destination);
        h.setContentType(JSON);
        try {
            synchronized (this) { // Tomcat's client refuses concurrent writes on one session
                session.send(h, jsonBody);
            }
        } catch (RuntimeException e) {
            open = false;
            handler.onClosed(this, "send failed: " + e);
        }
    }

    @Override
    public boolean isOpen() {
        return open && session != null && session.isConnected();
    }

    @Override
    public long lastReceivedNanos() {
        return lastReceived;
    }

    @Override
    public void heartbeatIfIdle(long nowNanos, long idleNanos) {
        // Spring's client sends its own heart-beats on its scheduler
    }

    @Override
    public boolean alive(long nowNanos, long maxSilenceNanos) {
        // Spring hides inbound heart-beats but closes the session itself when they stop
        return isOpen();
    }

    @Override
    public void close() {
        if (session != null && open) {
            open = false;
            try {
                session.disconnect();
            } catch (RuntimeException ignored) {
            }
        }
    }
}
