package io.parley.bench.stomp;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.lang.reflect.Type;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One virtual user's STOMP session, as the scenarios drive it: a future for CONNECTED, typed subscriptions,
 * SENDs that never throw (a failed send closes the session and is reported to the {@link Listener}).
 */
public final class UserSession {

    /** ERROR frames and the end of a session; MESSAGE frames go to each subscription's consumer. */
    public interface Listener {
        default void onError(UserSession session, String message) {
        }

        default void onClosed(UserSession session, String reason) {
        }
    }

    private final Listener listener;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile StompSession session;
    private volatile boolean open;

    private UserSession(Listener listener) {
        this.listener = listener;
    }

    static UserSession open(WebSocketStompClient client, URI uri, String host, String bearer, Listener listener) {
        UserSession s = new UserSession(listener);
        StompHeaders connect = new StompHeaders();
        connect.setHost(host);
        connect.set("Authorization", "Bearer " + bearer);
        connect.setPasscode(bearer);
        client.connectAsync(uri, null, connect, s.new Handler()).whenComplete((x, e) -> {
            if (e != null) {
                s.open = false;
                s.connected.completeExceptionally(e);
            }
        });
        return s;
    }

    private final class Handler extends StompSessionHandlerAdapter {
        @Override
        public void afterConnected(StompSession stompSession, StompHeaders headers) {
            session = stompSession;
            open = true;
            connected.complete(null);
        }

        @Override
        public void handleException(StompSession s, StompCommand command, StompHeaders headers, byte[] payload,
                                    Throwable exception) {
            listener.onError(UserSession.this, String.valueOf(exception));
        }

        @Override
        public void handleTransportError(StompSession s, Throwable exception) {
            open = false;
            connected.completeExceptionally(exception);
            listener.onClosed(UserSession.this, String.valueOf(exception));
        }

        /** ERROR frames (a refused CONNECT among them) arrive here. */
        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            String message = headers.getFirst("message") + (payload == null || "".equals(payload) ? "" : ": " + payload);
            connected.completeExceptionally(new IllegalStateException("STOMP ERROR " + message));
            listener.onError(UserSession.this, message);
        }

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return String.class;
        }
    }

    /** Completes on CONNECTED, or exceptionally with the ERROR frame or the I/O failure. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Subscribes (after {@link #connected()}); each MESSAGE body is mapped to {@code type} by Jackson. */
    public <T> void subscribe(String destination, Class<T> type, Consumer<? super T> consumer) {
        StompFrameHandler frames = new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return type;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                if (payload != null) { // Spring hands an empty body over as null
                    consumer.accept(type.cast(payload));
                }
            }
        };
        try {
            synchronized (this) { // Tomcat's client refuses concurrent writes on one session
                session.subscribe(destination, frames);
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A SEND with {@code payload} as its JSON body. */
    public void send(String destination, Object payload) {
        StompHeaders h = new StompHeaders();
        h.setDestination(destination);
        h.setContentType(MimeTypeUtils.APPLICATION_JSON);
        try {
            synchronized (this) {
                session.send(h, payload);
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        open = false;
        listener.onClosed(this, "send failed: " + e);
    }

    /**
     * Connected and not closed. Spring closes a session by itself when the server's heart-beats stop (after
     * three intervals), so an open session is one that is still heard from.
     */
    public boolean isOpen() {
        StompSession s = session;
        return open && s != null && s.isConnected();
    }

    public void close() {
        StompSession s = session;
        if (s != null && open) {
            open = false;
            try {
                s.disconnect();
            } catch (RuntimeException ignored) {
                // closing anyway: the socket may already be gone
            }
        }
    }
}
