package io.parley.gateway.stomp;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * Lets the servlet container hand over a WebSocket message in parts, so that its per-session read buffers can
 * stay small (README, Performance, "Idle connections").
 * <p>
 * Tomcat allocates a session's text and binary message buffers when the session opens, whether or not a byte is
 * ever read: sized for a whole 256 KB STOMP frame, that was about 0.8 MB per idle connection. With a handler that
 * accepts partial messages, Tomcat passes on each part when its small buffer fills instead of closing the session
 * with 1009, and Spring's STOMP decoder already buffers a frame that arrives in pieces (it has to: a client may
 * split one frame over several WebSocket messages) up to the 256 KB message size limit, past which the session gets
 * an ERROR frame. A frame therefore costs memory only while it arrives, and only as much as it holds.
 * <p>
 * Spring's STOMP handler raises a session's text buffer to 16 KB when it starts (it assumes whole messages); this
 * sets it back once the session has started, before Tomcat reads a message into it. Every decorator in the chain
 * delegates {@link WebSocketHandler#supportsPartialMessages()}, so this one may sit anywhere in it. SockJS does
 * not pass through here (its transport registers its own handler with the container), so with SockJS on this
 * decorator is not installed and the container's buffers keep the full size ({@link StompConfiguration}).
 */
final class PartialMessages implements WebSocketHandlerDecoratorFactory {

    private final int buffer;

    /** @param buffer the container's read buffer per session: characters for text, bytes for binary */
    PartialMessages(int buffer) {
        this.buffer = buffer;
    }

    @Override
    public WebSocketHandler decorate(WebSocketHandler handler) {
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                super.afterConnectionEstablished(session);
                session.setTextMessageSizeLimit(buffer);
                session.setBinaryMessageSizeLimit(buffer);
            }

            @Override
            public boolean supportsPartialMessages() {
                return true;
            }
        };
    }
}
