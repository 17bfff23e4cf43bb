package io.parley.gateway.stomp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.projections.live.LiveFrames;
import io.parley.projections.live.LiveQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON frames to users' queues: the STOMP side of {@link LiveFrames}, each {@link LiveQueue} being
 * the user destination {@code /user/queue/<name>}. A frame is serialized once and the same bytes go to every
 * recipient (a group message is one serialization, not 99), and users without a session on this node are
 * skipped before any message is built.
 */
@Component
class StompSender implements LiveFrames {
    private static final Logger log = LoggerFactory.getLogger(StompSender.class);

    private final SimpMessagingTemplate template;
    private final SimpUserRegistry users;
    private final ObjectMapper json;

    StompSender(SimpMessagingTemplate template, SimpUserRegistry users, ObjectMapper json) {
        this.template = template;
        this.users = users;
        this.json = json;
    }

    /** The broker-relative queue a user subscribes to as {@code /user} + this. */
    static String queue(LiveQueue queue) {
        return "/queue/" + queue.queueName();
    }

    @Override
    public boolean isConnected(String userId) {
        return users.getUser(userId) != null;
    }

    @Override
    public void toUsers(Collection<String> userIds, LiveQueue queue, Object frame) {
        byte[] body = null;
        for (String userId : userIds) {
            SimpUser user = users.getUser(userId);
            if (user == null) {
                continue;
            }
            if (body == null) {
                body = bytes(frame);
            }
            for (SimpSession session : user.getSessions()) {
                toSession(session.getId(), queue(queue), body);
            }
        }
    }

    /** To one session only (acks and errors answer the frame that caused them). */
    void toSession(String userId, String sessionId, LiveQueue queue, Object frame) {
        toSession(sessionId, queue(queue), bytes(frame));
    }

    /**
     * Straight to the broker destination the session's {@code /user/queue/...} subscription was resolved to,
     * with a message of its own. Going through {@code /user/<name>/...} instead makes Spring's user-destination
     * handler send one message object to each of a user's sessions, which the per-session publish-order
     * decorator refuses for the second session ("Expected mutable SimpMessageHeaderAccessor"), losing frames
     * for users with two devices. The original destination header keeps the frames' {@code destination} as
     * the client subscribed it.
     */
    private void toSession(String sessionId, String queue, byte[] body) {
        try {
            SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
            headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
            headers.setNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, "/user" + queue);
            headers.setLeaveMutable(true);
            template.send(queue + "-user" + sessionId, MessageBuilder.createMessage(body, headers.getMessageHeaders()));
        } catch (RuntimeException e) {
            // one session's failure must not cost the other recipients their frame
            log.warn("Frame to session {} on {} not sent: {}", sessionId, queue, e.toString());
        }
    }

    /** The error body used on {@code /user/queue/errors} and inside failed acks. */
    static Map<String, String> error(String type, String detail) {
        return Map.of("type", type, "detail", detail == null ? "" : detail);
    }

    private byte[] bytes(Object frame) {
        try {
            return json.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("frame not serializable: " + frame.getClass(), e);
        }
    }
}
