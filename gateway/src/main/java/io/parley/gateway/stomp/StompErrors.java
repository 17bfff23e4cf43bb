package io.parley.gateway.stomp;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompConversionException;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

import java.nio.charset.StandardCharsets;

/**
 * The ERROR frame for failures that end a connection (protocol errors: a refused CONNECT, a frame that is not
 * STOMP; everything else after CONNECT is answered on {@code /user/queue/errors} and the session stays open). Spring's default would
 * put the internal channel exception's text in the {@code message} header; this puts the refusal's reason.
 */
class StompErrors extends StompSubProtocolErrorHandler {

    /** A refusal whose message is safe to show to the client. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What was wrong, in words safe to show: a refusal's reason, or the decoder's description of a malformed
     * frame (Spring's {@code StompDecoder} names the rule broken: a bad header escape, a missing NUL, a frame
     * over the size limit); an unknown command is named as such. Anything else is a frame this server could
     * not take, said without internals.
     */
    static String reason(Message<byte[]> clientMessage, Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof Refused refused) {
                return refused.getMessage();
            }
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof StompConversionException conversion) {
                return "malformed frame: " + printable(conversion.getMessage());
            }
            if (t instanceof IllegalArgumentException && t.getMessage() != null
                    && t.getMessage().startsWith("No enum constant " + StompCommand.class.getName())) {
                return "malformed frame: unknown command "
                        + printable(t.getMessage().substring(("No enum constant " + StompCommand.class.getName() + ".").length()))
                        + "; STOMP 1.2 commands only";
            }
        }
        // with per-session receive order, Spring's STOMP handler itself refuses a frame before CONNECT and a
        // second CONNECT (its assertions "Unknown session" and "Session already exists"), ahead of any interceptor
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && t.getMessage() != null) {
                if (t.getMessage().startsWith("Unknown session")) {
                    return "not connected: send CONNECT first";
                }
                if (t.getMessage().startsWith("Session already exists")) {
                    return "protocol error: this session is already connected (a second CONNECT)";
                }
            }
        }
        if (clientMessage != null) {
            StompCommand command = StompHeaderAccessor.wrap(clientMessage).getCommand();
            return "the " + (command == null ? "frame" : command + " frame") + " could not be handled";
        }
        return "malformed frame: it could not be decoded as STOMP 1.2";
    }

    /** At most 200 characters, control characters replaced, so client bytes echoed back stay one clean header. */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    @Override
    public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable ex) {
        String reason = reason(clientMessage, ex);
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
