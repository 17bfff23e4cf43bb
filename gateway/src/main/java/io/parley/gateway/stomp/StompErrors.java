package io.parley.gateway.stomp;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

import java.nio.charset.StandardCharsets;

/**
 * The ERROR frame for failures that end a connection (only a refused CONNECT does, by design: everything
 * after CONNECT is answered on {@code /user/queue/errors} and the session stays open). Spring's default would
 * put the internal channel exception's text in the {@code message} header; this puts the refusal's reason.
 */
class StompErrors extends StompSubProtocolErrorHandler {

    /** A refusal whose message is safe to show to the client. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable ex) {
        String reason = "internal error";
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof Refused refused) {
                reason = refused.getMessage();
                break;
            }
        }
        StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
        accessor.setMessage(reason);
        accessor.setContentType(org.springframework.util.MimeTypeUtils.TEXT_PLAIN);
        if (clientMessage != null) {
            StompHeaderAccessor client = StompHeaderAccessor.wrap(clientMessage);
            if (client.getReceipt() != null) {
                accessor.setReceiptId(client.getReceipt());
            }
        }
        accessor.setLeaveMutable(true);
        return MessageBuilder.createMessage(reason.getBytes(StandardCharsets.UTF_8), accessor.getMessageHeaders());
    }
}
