package io.parley.gateway.stomp;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;

class PartialMessagesTest {

    @Test
    void theChainTakesPartialMessagesAndTheBuffersGoBackToSmallAfterTheStompHandlerRaisedThem() throws Exception {
        WebSocketSession session = mock(WebSocketSession.class);
        // Spring's STOMP handler raises the text limit when a session starts
        WebSocketHandler stomp = new TextWebSocketHandler() {
            @Override
            public void afterConnectionEstablished(WebSocketSession s) {
                s.setTextMessageSizeLimit(16 * 1024 + 256);
            }
        };
        assertThat(stomp.supportsPartialMessages()).isFalse();

        WebSocketHandler decorated = new PartialMessages(4096).decorate(stomp);
        decorated.afterConnectionEstablished(session);

        assertThat(decorated.supportsPartialMessages()).isTrue();
        var order = inOrder(session);
        order.verify(session).setTextMessageSizeLimit(16 * 1024 + 256);
        order.verify(session).setTextMessageSizeLimit(4096);
        order.verify(session).setBinaryMessageSizeLimit(4096);
    }
}
