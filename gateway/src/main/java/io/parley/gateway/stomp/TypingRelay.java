package io.parley.gateway.stomp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.gateway.app.cluster.ClusterBus;
import io.parley.projections.live.ConversationMembers;
import io.parley.projections.live.LiveQueue;
import io.parley.query.presence.BlockRelations;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * Typing indicators: forwarded live to the other members on {@code /user/queue/typing}, never stored (no
 * command, no event, no read model). Each frame says until when it holds ({@code expiresAt}); when a client
 * stops refreshing, the relay itself sends {@code typing: false} after the TTL, and on disconnect, so a
 * crashed client does not leave "typing..." on everyone's screen. Nobody sees the typing of someone they blocked
 * or who blocked them (README, Blocking). Each session may send at most
 * {@code chat.stomp.typing-per-second} frames per second; the excess is dropped (with one error per second).
 * With several nodes each frame also goes over the {@link ClusterBus}, and every other node hands it to the
 * members connected there (membership and blocks are read on each node from its own live views).
 */
@Component
class TypingRelay {

    record TypingFrame(String conversationId, String userId, boolean typing, Instant expiresAt) {
    }

    private record Key(String sessionId, String conversationId) {
    }

    private record Pending(String userId, ScheduledFuture<?> expiry) {
    }

    /** A fixed one-second window per session. */
    private static final class Rate {
        long second;
        int count;
        boolean warned;
    }

    private final ConversationMembers members;
    private final BlockRelations blocks;
    private final StompSender sender;
    private final StompTimers timers;
    private final Duration ttl;
    private final int perSecond;
    private final ClusterBus bus;
    private final ObjectMapper json;
    private final Map<Key, Pending> active = new ConcurrentHashMap<>();
    private final Map<String, Rate> rates = new ConcurrentHashMap<>();

    static final String CHANNEL = "parley_typing";

    TypingRelay(ConversationMembers members, BlockRelations blocks, StompSender sender, StompTimers timers,
                StompProperties properties, ClusterBus bus, ObjectMapper json) {
        this.members = members;
        this.bus = bus;
        this.json = json;
        bus.subscribe(CHANNEL, this::fromOtherNode);
        this.blocks = blocks;
        this.sender = sender;
        this.timers = timers;
        this.ttl = properties.typingTtl();
        this.perSecond = properties.typingPerSecond();
    }

    enum Outcome { FORWARDED, NOT_A_MEMBER, RATE_LIMITED, DROPPED }

    Outcome typing(String userId, String sessionId, String conversationId, boolean typing) {
        if (!members.isMember(conversationId, userId)) {
            return Outcome.NOT_A_MEMBER;
        }
        int admitted = admit(sessionId);
        if (admitted < 0) {
            return Outcome.DROPPED;
        }
        if (admitted == 0) {
            return Outcome.RATE_LIMITED;
        }
        Key key = new Key(sessionId, conversationId);
        Instant now = Instant.now();
        if (typing) {
            ScheduledFuture<?> expiry = timers.scheduler().schedule(() -> expire(key), now.plus(ttl));
            Pending previous = active.put(key, new Pending(userId, expiry));
            if (previous != null) {
                previous.expiry().cancel(false);
            }
            forward(conversationId, userId, true, now.plus(ttl));
        } else {
            Pending previous = active.remove(key);
            if (previous != null) {
                previous.expiry().cancel(false);
            }
            forward(conversationId, userId, false, now);
        }
        return Outcome.FORWARDED;
    }

    /** @return 1 admitted, 0 refused (first refusal this second: tell the client), -1 refused silently */
    private int admit(String sessionId) {
        long second = System.currentTimeMillis() / 1000;
        int[] verdict = {1};
        rates.compute(sessionId, (id, rate) -> {
            Rate r = rate == null ? new Rate() : rate;
            if (r.second != second) {
                r.second = second;
                r.count = 0;
                r.warned = false;
            }
            if (r.count < perSecond) {
                r.count++;
            } else {
                verdict[0] = r.warned ? -1 : 0;
                r.warned = true;
            }
            return r;
        });
        return verdict[0];
    }

    private void expire(Key key) {
        Pending pending = active.remove(key);
        if (pending != null) {
            forward(key.conversationId(), pending.userId(), false, Instant.now());
        }
    }

    private void forward(String conversationId, String userId, boolean typing, Instant expiresAt) {
        TypingFrame frame = new TypingFrame(conversationId, userId, typing, expiresAt);
        deliver(frame);
        try {
            bus.publish(CHANNEL, json.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fromOtherNode(String payload) {
        try {
            deliver(json.readValue(payload, TypingFrame.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a typing frame: " + payload, e);
        }
    }

    /** To the other members connected to this node. */
    private void deliver(TypingFrame frame) {
        String conversationId = frame.conversationId();
        String userId = frame.userId();
        sender.toUsers(members.of(conversationId).stream()
                .filter(m -> !m.equals(userId) && !blocks.eitherBlocks(userId, m)).toList(), LiveQueue.TYPING, frame);
    }

    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        String sessionId = event.getSessionId();
        rates.remove(sessionId);
        Principal user = event.getUser();
        active.keySet().removeIf(key -> {
            if (!key.sessionId().equals(sessionId)) {
                return false;
            }
            Pending pending = active.get(key);
            if (pending != null) {
                pending.expiry().cancel(false);
                if (user != null) {
                    forward(key.conversationId(), pending.userId(), false, Instant.now());
                }
            }
            return true;
        });
    }
}
