package io.parley.bench.baseline;

import io.parley.bench.baseline.BaselineStore.Account;
import io.parley.bench.baseline.BaselineStore.Conversation;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Controller;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The smallest correct STOMP set-up (as in Spring's STOMP guide), heart-beats 10s/10s, user queues. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class BaselineStomp implements WebSocketMessageBrokerConfigurer {

    private final BaselineStore store;

    BaselineStomp(BaselineStore store) {
        this.store = store;
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/ws").setAllowedOriginPatterns("*");
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        ThreadPoolTaskScheduler hb = new ThreadPoolTaskScheduler();
        hb.setPoolSize(1);
        hb.setThreadNamePrefix("baseline-hb-");
        hb.initialize();
        registry.enableSimpleBroker("/queue", "/topic").setHeartbeatValue(new long[]{10_000, 10_000}).setTaskScheduler(hb);
        registry.setApplicationDestinationPrefixes("/app");
        registry.setUserDestinationPrefix("/user");
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(new ChannelInterceptor() {
            @Override
            public Message<?> preSend(Message<?> message, MessageChannel channel) {
                StompHeaderAccessor acc = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
                if (acc != null && StompCommand.CONNECT.equals(acc.getCommand())) {
                    String auth = acc.getFirstNativeHeader("Authorization");
                    Account a = store.byBearer(auth != null ? auth : acc.getPasscode());
                    if (a == null) {
                        throw new IllegalArgumentException("unknown token");
                    }
                    String id = a.id();
                    acc.setUser((Principal) () -> id);
                }
                return message;
            }
        });
    }

    @Controller
    static class Relay {

        private final BaselineStore store;
        private final SimpMessagingTemplate template;
        private final com.fasterxml.jackson.databind.ObjectMapper json;

        Relay(BaselineStore store, SimpMessagingTemplate template, com.fasterxml.jackson.databind.ObjectMapper json) {
            this.store = store;
            this.template = template;
            this.json = json;
        }

        /**
         * Serialises a frame once and sends the same bytes to every member (a group fans out 99 copies), each
         * copy typed {@code application/json} as the platform's are (bytes sent through
         * {@code convertAndSendToUser} would go out as {@code application/octet-stream}).
         */
        private void fanOut(Iterable<String> users, String except, String destination, Object frame) {
            byte[] body;
            try {
                body = json.writeValueAsBytes(frame);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            for (String m : users) {
                if (!m.equals(except)) {
                    SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
                    headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
                    headers.setLeaveMutable(true);
                    template.send(template.getUserDestinationPrefix() + m + destination,
                            MessageBuilder.createMessage(body, headers.getMessageHeaders()));
                }
            }
        }

        record Send(String conversationId, String clientMessageId, String text) {
        }

        record Receipt(String conversationId, long upToSeq) {
        }

        @MessageMapping("/messages.send")
        void send(Principal user, @Payload Send req) {
            Conversation c = store.conversations.get(req.conversationId());
            if (c == null || !c.members().contains(user.getName())) {
                template.convertAndSendToUser(user.getName(), "/queue/acks", Map.of("clientMessageId",
                        String.valueOf(req.clientMessageId()), "error", Map.of("type", "not-a-member", "detail", "not a member")));
                return;
            }
            long seq = c.seq().incrementAndGet();
            String sentAt = Instant.now().toString();
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("kind", "MESSAGE");
            frame.put("conversationId", c.id());
            frame.put("seq", seq);
            frame.put("messageId", UUID.randomUUID().toString());
            frame.put("clientMessageId", req.clientMessageId());
            frame.put("senderId", user.getName());
            frame.put("text", req.text());
            frame.put("sentAt", sentAt);
            fanOut(c.members(), user.getName(), "/queue/messages", frame);
            template.convertAndSendToUser(user.getName(), "/queue/acks", Map.of("clientMessageId", req.clientMessageId(),
                    "conversationId", c.id(), "seq", seq, "sentAt", sentAt));
        }

        @MessageMapping("/receipts.delivered")
        void delivered(Principal user, @Payload Receipt req) {
            receipt(user, req, "DELIVERED");
        }

        @MessageMapping("/receipts.read")
        void read(Principal user, @Payload Receipt req) {
            receipt(user, req, "READ");
        }

        private void receipt(Principal user, Receipt req, String kind) {
            Conversation c = store.conversations.get(req.conversationId());
            if (c == null || !c.members().contains(user.getName())) {
                return;
            }
            Map<String, Object> frame = Map.of("conversationId", c.id(), "userId", user.getName(), "kind", kind,
                    "upToSeq", req.upToSeq(), "at", Instant.now().toString());
            fanOut(c.members(), user.getName(), "/queue/receipts", frame);
        }
    }
}
