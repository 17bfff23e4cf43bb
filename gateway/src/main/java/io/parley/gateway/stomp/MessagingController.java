package io.parley.gateway.stomp;

import java.util.function.Supplier;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.api.common.CommandRejected;
import io.parley.api.conversation.ConversationCommands.DeleteMessage;
import io.parley.api.conversation.ConversationCommands.EditMessage;
import io.parley.api.conversation.ConversationCommands.MessageChanged;
import io.parley.api.conversation.ConversationCommands.ReactToMessage;
import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.api.conversation.ConversationCommands.SendResult;
import io.parley.api.conversation.Mentions;
import io.parley.api.media.MediaRef;
import io.parley.projections.live.ConversationMembers;
import io.parley.projections.live.LiveQueue;
import io.parley.query.presence.PresenceService;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import io.parley.gateway.web.limits.RateLimits;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Controller;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The client's SEND destinations under {@code /app}. Bodies arrive as raw bytes and are parsed here, so a
 * malformed frame is answered on {@code /user/queue/errors} and the session stays open (a conversion failure
 * inside Spring would end in an ERROR frame, which closes the connection). The acting account is always the
 * session's principal, never a field of the body.
 */
@Controller
class MessagingController {
    private static final Logger log = LoggerFactory.getLogger(MessagingController.class);
    private static final String SESSION = SimpMessageHeaderAccessor.SESSION_ID_HEADER;

    private final CommandGateway commands;
    private final StompSender sender;
    private final ReceiptCoalescer receipts;
    private final TypingRelay typing;
    private final ConversationMembers members;
    private final PresenceService presence;
    private final ObjectMapper json;
    private final RateLimits limits;

    MessagingController(CommandGateway commands, StompSender sender, ReceiptCoalescer receipts, TypingRelay typing,
                        ConversationMembers members, PresenceService presence, ObjectMapper json, RateLimits limits) {
        this.limits = limits;
        this.commands = commands;
        this.sender = sender;
        this.receipts = receipts;
        this.typing = typing;
        this.members = members;
        this.presence = presence;
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** {@code mentions}: member ids, or {@code "@all"} in a group (README, API). */
    record SendFrame(String conversationId, String clientMessageId, String text, Long replyTo, String mediaId,
                     List<String> mentions) {
    }

    record WatermarkFrame(String conversationId, Long upToSeq) {
    }

    record EditFrame(String conversationId, Long seq, String text, String clientMessageId) {
    }

    record DeleteFrame(String conversationId, Long seq, String clientMessageId) {
    }

    record ReactFrame(String conversationId, Long seq, String emoji, String clientMessageId) {
    }

    /**
     * The answer to an edit, deletion or reaction: {@code messageSeq} the message changed, {@code seq} the seq of
     * the EDIT, DELETE or REACTION entry stored (absent when nothing was: a message deleted already).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChangeAck(String clientMessageId, String conversationId, long messageSeq, Long seq) {
    }

    record TypingFrame(String conversationId, Boolean typing) {
    }

    /**
     * The "sent" tick: {@code {clientMessageId, conversationId, seq, messageId, sentAt, mentions}}, the mentions
     * as stored (a group's {@code @all} expanded).
     */
    record Ack(String clientMessageId, String conversationId, long seq, String messageId, Instant sentAt,
               List<String> mentions) {
    }

    /**
     * Answered on {@code /user/queue/acks} of the sending session once the event is stored. The command runs
     * on this inbound thread (simple command bus) and the ack is written from its completion; a retry with
     * the same clientMessageId gets the first answer again.
     */
    @MessageMapping("/messages.send")
    void send(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        SendFrame frame = parse(body, SendFrame.class, user, sessionId, "/app/messages.send");
        if (frame == null) {
            return;
        }
        if (frame.clientMessageId() == null || frame.clientMessageId().isBlank()) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, errorBody("invalid-request",
                    "clientMessageId is required", "/app/messages.send"));
            return;
        }
        if (frame.conversationId() == null || frame.conversationId().isBlank()) {
            failedAck(user, sessionId, frame, StompSender.error(CommandErrors.type("invalid-request"),
                    "conversationId is required"));
            return;
        }
        java.time.Duration wait = limits.send(user.getName());
        if (!wait.isZero()) {
            // not stored: the client resends the same clientMessageId after the wait
            failedAck(user, sessionId, frame, StompSender.error(CommandErrors.type("rate-limited"),
                    "too many messages; retry after " + RateLimits.retryAfterSeconds(wait) + " s"));
            return;
        }
        try {
            Mentions.requireWellFormed(frame.mentions());
        } catch (CommandRejected malformed) {
            failedAck(user, sessionId, frame, CommandErrors.of(malformed));
            return;
        }
        MediaRef media = frame.mediaId() == null ? null
                : new MediaRef(frame.mediaId(), null, null, 0, null, null, null, false);
        CompletableFuture<SendResult> sent;
        try {
            sent = commands.send(new SendMessage(frame.conversationId(), user.getName(), frame.clientMessageId(),
                    frame.text(), frame.replyTo(), media, frame.mentions()));
        } catch (RuntimeException e) {
            // the simple command bus opens the command's transaction on this thread, before any future exists: a
            // PostgreSQL that cannot be reached fails here, and the sender still gets its answer on the acks queue
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, failure) -> {
            if (failure != null) {
                failedAck(user, sessionId, frame, CommandErrors.of(failure));
            } else {
                sender.toSession(user.getName(), sessionId, LiveQueue.ACKS, new Ack(result.clientMessageId(),
                        result.conversationId(), result.seq(), result.messageId(), result.sentAt(),
                        result.mentions()));
            }
        });
    }

    private void failedAck(Principal user, String sessionId, SendFrame frame, Map<String, String> error) {
        failedAck(user, sessionId, frame.clientMessageId(), frame.conversationId(), error);
    }

    private void failedAck(Principal user, String sessionId, String clientMessageId, String conversationId,
                           Map<String, String> error) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("clientMessageId", clientMessageId);
        ack.put("conversationId", conversationId);
        ack.put("error", error);
        sender.toSession(user.getName(), sessionId, LiveQueue.ACKS, ack);
    }

    /** The same command and rules as REST's {@code PUT .../messages/{seq}}; answered on the acks queue. */
    @MessageMapping("/messages.edit")
    void edit(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        EditFrame frame = parse(body, EditFrame.class, user, sessionId, "/app/messages.edit");
        if (frame != null) {
            change(user, sessionId, "/app/messages.edit", frame.clientMessageId(), frame.conversationId(),
                    frame.seq(), () -> new EditMessage(frame.conversationId(), user.getName(), frame.seq(),
                            frame.text(), frame.clientMessageId()));
        }
    }

    /** Delete for everyone, as REST's {@code DELETE .../messages/{seq}}; answered on the acks queue. */
    @MessageMapping("/messages.delete")
    void delete(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        DeleteFrame frame = parse(body, DeleteFrame.class, user, sessionId, "/app/messages.delete");
        if (frame != null) {
            change(user, sessionId, "/app/messages.delete", frame.clientMessageId(), frame.conversationId(),
                    frame.seq(), () -> new DeleteMessage(frame.conversationId(), user.getName(), frame.seq(),
                            frame.clientMessageId()));
        }
    }

    /** As REST's {@code PUT .../messages/{seq}/reaction}: a null or blank emoji removes one's reaction. */
    @MessageMapping("/messages.react")
    void react(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        ReactFrame frame = parse(body, ReactFrame.class, user, sessionId, "/app/messages.react");
        if (frame != null) {
            change(user, sessionId, "/app/messages.react", frame.clientMessageId(), frame.conversationId(),
                    frame.seq(), () -> new ReactToMessage(frame.conversationId(), user.getName(), frame.seq(),
                            frame.emoji(), frame.clientMessageId()));
        }
    }

    /**
     * Edits, deletions and reactions share the send's answer path: an ack (or a failed ack) by clientMessageId on
     * this session's acks queue, and the send's rate limit (each is a stored event). The clientMessageId goes into
     * the command, so a retried frame gets the first ack and changes nothing more (the aggregate's ChangeLog).
     */
    private void change(Principal user, String sessionId, String destination, String clientMessageId,
                        String conversationId, Long seq, Supplier<Object> command) {
        if (clientMessageId == null || clientMessageId.isBlank()) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, errorBody("invalid-request",
                    "clientMessageId is required", destination));
            return;
        }
        if (conversationId == null || conversationId.isBlank() || seq == null || seq < 1) {
            failedAck(user, sessionId, clientMessageId, conversationId, StompSender.error(
                    CommandErrors.type("invalid-request"), "conversationId and seq >= 1 are required"));
            return;
        }
        java.time.Duration wait = limits.send(user.getName());
        if (!wait.isZero()) {
            failedAck(user, sessionId, clientMessageId, conversationId, StompSender.error(
                    CommandErrors.type("rate-limited"),
                    "too many messages; retry after " + RateLimits.retryAfterSeconds(wait) + " s"));
            return;
        }
        CompletableFuture<MessageChanged> changed;
        try {
            changed = commands.send(command.get());
        } catch (RuntimeException e) {
            changed = CompletableFuture.failedFuture(e);
        }
        changed.whenComplete((result, failure) -> {
            if (failure != null) {
                failedAck(user, sessionId, clientMessageId, conversationId, CommandErrors.of(failure));
            } else {
                sender.toSession(user.getName(), sessionId, LiveQueue.ACKS, new ChangeAck(clientMessageId,
                        result.conversationId(), result.messageSeq(), result.seq()));
            }
        });
    }

    @MessageMapping("/receipts.delivered")
    void delivered(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        watermark(ReceiptCoalescer.Kind.DELIVERED, body, user, sessionId, "/app/receipts.delivered");
    }

    @MessageMapping("/receipts.read")
    void read(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        watermark(ReceiptCoalescer.Kind.READ, body, user, sessionId, "/app/receipts.read");
    }

    /**
     * Membership is checked against the in-memory view first, so an ack that would be refused is answered
     * now, for this session, instead of inside a coalesced command; the aggregate still decides.
     */
    private void watermark(ReceiptCoalescer.Kind kind, byte[] body, Principal user, String sessionId, String destination) {
        WatermarkFrame frame = parse(body, WatermarkFrame.class, user, sessionId, destination);
        if (frame == null) {
            return;
        }
        if (frame.conversationId() == null || frame.upToSeq() == null || frame.upToSeq() < 0) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, errorBody("invalid-request",
                    "conversationId and upToSeq >= 0 are required", destination));
            return;
        }
        if (!members.isMember(frame.conversationId(), user.getName())) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, errorBody("not-a-member",
                    "conversation not found", destination));
            return;
        }
        receipts.ack(kind, frame.conversationId(), user.getName(), sessionId, frame.upToSeq());
    }

    @MessageMapping("/typing")
    void typing(@Payload(required = false) byte[] body, Principal user, @Header(SESSION) String sessionId) {
        TypingFrame frame = parse(body, TypingFrame.class, user, sessionId, "/app/typing");
        if (frame == null) {
            return;
        }
        if (frame.conversationId() == null) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, errorBody("invalid-request",
                    "conversationId is required", "/app/typing"));
            return;
        }
        switch (typing.typing(user.getName(), sessionId, frame.conversationId(), !Boolean.FALSE.equals(frame.typing()))) {
            case NOT_A_MEMBER -> sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS,
                    errorBody("not-a-member", "conversation not found", "/app/typing"));
            case RATE_LIMITED -> sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS,
                    errorBody("rate-limited", "too many typing frames; the excess is dropped", "/app/typing"));
            default -> {
            }
        }
    }

    /** Keeps the user's last seen fresh while the app is in the foreground; the body is ignored. */
    @MessageMapping("/presence.ping")
    void ping(Principal user) {
        presence.touch(user.getName());
    }

    /** Anything unexpected: an error for this session, never a dropped connection. */
    @MessageExceptionHandler
    void failed(Exception e, Principal user, @Header(SESSION) String sessionId) {
        log.warn("STOMP frame failed for {}: {}", user == null ? null : user.getName(), e.toString());
        if (user != null) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS,
                    StompSender.error(CommandErrors.type("internal-error"), "the server could not handle this frame"));
        }
    }

    private <T> T parse(byte[] body, Class<T> type, Principal user, String sessionId, String destination) {
        try {
            T frame = body == null || body.length == 0 ? null : json.readValue(body, type);
            if (frame == null) {
                throw new IllegalArgumentException("empty body");
            }
            return frame;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            sender.toSession(user.getName(), sessionId, LiveQueue.ERRORS, errorBody("malformed-frame",
                    "the body is not the JSON this destination expects", destination));
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> errorBody(String code, String detail, String destination) {
        return Map.of("type", CommandErrors.type(code), "detail", detail, "destination", destination);
    }
}
