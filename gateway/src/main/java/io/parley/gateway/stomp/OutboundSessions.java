package io.parley.gateway.stomp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The open WebSocket sessions, so that {@link SessionOrderedExecutor} can close one it cut off, and the
 * container's limit on one blocking write: Tomcat's {@code BLOCKING_SEND_TIMEOUT} (20 s by default) is set to
 * the send time limit, so a write to a client that stopped reading gives its thread back then at the latest.
 * Closing may itself wait for that write, so it runs on its own threads.
 * <p>
 * A socket must complete its CONNECT within {@code chat.stomp.connect-timeout}: one that sends nothing, or half a
 * frame (the decoder waits for a declared content-length's remaining bytes, up to the 256 KB limit), gets an ERROR
 * frame and is closed, so idle unauthenticated sockets cannot pile up (issue 15, hostile input).
 */
final class OutboundSessions implements WebSocketHandlerDecoratorFactory {

    private static final Logger log = LoggerFactory.getLogger(OutboundSessions.class);
    /** Tomcat's per-session property ({@code org.apache.tomcat.websocket.Constants}), a Long in milliseconds. */
    static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final ConcurrentHashMap<String, WebSocketSession> open = new ConcurrentHashMap<>();
    private final Duration sendTimeLimit;
    private final ExecutorService closers;
    private final Consumer<String> closed;
    private final TaskScheduler timers;
    private final Duration connectTimeout;
    private final java.util.Set<String> connected = ConcurrentHashMap.newKeySet();

    /** @param closed told the id of every session once it has closed */
    OutboundSessions(Duration sendTimeLimit, Duration connectTimeout, TaskScheduler timers, ThreadFactory threads,
                     Consumer<String> closed) {
        this.sendTimeLimit = sendTimeLimit;
        this.connectTimeout = connectTimeout;
        this.timers = timers;
        this.closers = Executors.newCachedThreadPool(threads);
        this.closed = closed;
    }

    /** The session's CONNECT was accepted (Spring's {@code SessionConnectedEvent}). */
    void connected(String sessionId) {
        if (open.containsKey(sessionId)) {
            connected.add(sessionId);
        }
    }

    private void requireConnected(String sessionId) {
        WebSocketSession session = open.get(sessionId);
        if (session == null || connected.contains(sessionId) || !session.isOpen()) {
            return;
        }
        closers.execute(() -> {
            try {
                // nothing else is written to a session before its CONNECTED, so this frame races no other write
                session.sendMessage(new TextMessage("ERROR\nmessage:no CONNECT within " + connectTimeout.toSeconds()
                        + " s\ncontent-type:text/plain\n\nsend a complete CONNECT frame first\0"));
                session.close(CloseStatus.POLICY_VIOLATION);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the session {} without CONNECT failed: {}", sessionId, e.toString());
            }
        });
    }

    /** Closes a session whose client does not read (4500, "session not reliable"); the client reconnects. */
    void close(String sessionId) {
        WebSocketSession session = open.get(sessionId);
        if (session == null) {
            return;
        }
        closers.execute(() -> {
            try {
                session.close(CloseStatus.SESSION_NOT_RELIABLE);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the stalled session {} failed: {}", sessionId, e.toString());
            }
        });
    }

    int openSessions() {
        return open.size();
    }

    void shutdown() {
        closers.shutdownNow();
    }

    @Override
    public WebSocketHandler decorate(WebSocketHandler handler) {
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                if (session instanceof NativeWebSocketSession nativeSession
                        && nativeSession.getNativeSession() instanceof jakarta.websocket.Session tomcat) {
                    tomcat.getUserProperties().put(BLOCKING_SEND_TIMEOUT, sendTimeLimit.toMillis());
                }
                open.put(session.getId(), session);
                String id = session.getId();
                timers.schedule(() -> requireConnected(id), java.time.Instant.now().plus(connectTimeout));
                super.afterConnectionEstablished(session);
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
                try {
                    super.afterConnectionClosed(session, status);
                } finally {
                    open.remove(session.getId());
                    connected.remove(session.getId());
                    closed.accept(session.getId());
                }
            }
        };
    }
}
