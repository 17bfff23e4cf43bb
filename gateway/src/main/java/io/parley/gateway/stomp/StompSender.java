package io.parley.gateway.stomp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON frames to users' queues. A frame is serialized once and the same bytes go to every recipient
 * (a group message is one serialization, not 99), and users without a session on this node are skipped
 * before any message is built.
 */
@Component
public class StompSender {
    /**
     * The per-node, in-memory processing group of everything that reacts to events live (frames, the
     * membership and privacy caches): handlers in other packages join it by this name.
     */
    public static final String LIVE_DELIVERY_GROUP = "live-delivery";

    public static final String MESSAGES = "/queue/messages";
    public static final String RECEIPTS = "/queue/receipts";
    public static final String PRESENCE = "/queue/presence";
    public static final String TYPING = "/queue/typing";
    public static final String ACKS = "/queue/acks";
    public static final String ERRORS = "/queue/errors";

    private final SimpMessagingTemplate template;
    private final SimpUserRegistry users;
    private final ObjectMapper json;

    StompSender(SimpMessagingTemplate template, SimpUserRegistry users, ObjectMapper json) {
        this.template = template;
        this.users = users;
        this.json = json;
    }

    public boolean isConnected(String userId) {
        return users.getUser(userId) != null;
    }

    /** To every session of every user in {@code userIds} that is connected here. */
    public void toUsers(Collection<String> userIds, String queue, Object frame) {
        byte[] body = null;
        for (String userId : userIds) {
            if (!isConnected(userId)) {
                continue;
            }
            if (body == null) {
                body = bytes(frame);
            }
            template.send("/user/" + userId + queue, message(body, null));
        }
    }

    public void toUser(String userId, String queue, Object frame) {
        if (isConnected(userId)) {
            template.send("/user/" + userId + queue, message(bytes(frame), null));
        }
    }

    /** To one session only (acks and errors answer the frame that caused them). */
    public void toSession(String userId, String sessionId, String queue, Object frame) {
        template.send("/user/" + userId + queue, message(bytes(frame), sessionId));
    }

    /** The error body used on {@code /user/queue/errors} and inside failed acks. */
    public static Map<String, String> error(String type, String detail) {
        return Map.of("type", type, "detail", detail == null ? "" : detail);
    }

    private static Message<byte[]> message(byte[] body, String sessionId) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        if (sessionId != null) {
            headers.setSessionId(sessionId);
        }
        headers.setLeaveMutable(true);
        return MessageBuilder.createMessage(body, headers.getMessageHeaders());
    }

    private byte[] bytes(Object frame) {
        try {
            return json.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("frame not serializable: " + frame.getClass(), e);
        }
    }
}
