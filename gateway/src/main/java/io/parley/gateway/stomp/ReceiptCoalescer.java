package io.parley.gateway.stomp;

import io.parley.api.conversation.ConversationCommands.AcknowledgeDelivery;
import io.parley.api.conversation.ConversationCommands.MarkRead;
import io.parley.projections.live.LiveQueue;
import jakarta.annotation.PreDestroy;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces receipt acks: a client that acks every message it receives would otherwise cost one command and
 * one event per message. Per member, conversation and kind, the first ack is sent at once (no added latency
 * for the common single ack); acks arriving during the following window only raise a pending maximum, sent
 * as one command when the window ends, which opens the next window. A window that saw no ack forgets the key.
 * <p>
 * Nothing acknowledged is lost: every ack either raises the pending maximum of an open window (and the window's
 * end sends it) or finds no window and is sent itself; both happen under the map's per-key atomicity. On
 * shutdown pending maxima are sent before the command bus goes.
 */
@Component
class ReceiptCoalescer {
    private static final Logger log = LoggerFactory.getLogger(ReceiptCoalescer.class);

    enum Kind { DELIVERED, READ }

    record Key(String conversationId, String memberId, Kind kind) {
    }

    /** Guarded by the map's per-key atomicity (compute). */
    private static final class Window {
        long sent;
        long pending = -1;
        String sessionId;
    }

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private final CommandGateway commands;
    private final StompSender sender;
    private final StompTimers timers;
    private final long windowMillis;

    ReceiptCoalescer(CommandGateway commands, StompSender sender, StompTimers timers, StompProperties properties) {
        this.commands = commands;
        this.sender = sender;
        this.timers = timers;
        this.windowMillis = properties.receiptWindow().toMillis();
    }

    void ack(Kind kind, String conversationId, String memberId, String sessionId, long upToSeq) {
        Key key = new Key(conversationId, memberId, kind);
        boolean[] sendNow = {false};
        windows.compute(key, (k, window) -> {
            if (window == null) {
                window = new Window();
                window.sent = upToSeq;
                sendNow[0] = true;
            } else if (upToSeq > window.sent && upToSeq > window.pending) {
                window.pending = upToSeq;
            }
            window.sessionId = sessionId;
            return window;
        });
        if (sendNow[0]) {
            dispatch(key, upToSeq, sessionId);
            schedule(key);
        }
    }

    private void schedule(Key key) {
        timers.scheduler().schedule(() -> windowEnded(key), Instant.now().plusMillis(windowMillis));
    }

    private void windowEnded(Key key) {
        long[] next = {-1};
        String[] session = {null};
        windows.compute(key, (k, window) -> {
            if (window == null || window.pending <= window.sent) {
                return null;
            }
            next[0] = window.pending;
            session[0] = window.sessionId;
            window.sent = window.pending;
            window.pending = -1;
            return window;
        });
        if (next[0] >= 0) {
            dispatch(key, next[0], session[0]);
            schedule(key);
        }
    }

    /** Commands run on the worker threads: the simple command bus handles them on the calling thread. */
    private void dispatch(Key key, long upToSeq, String sessionId) {
        timers.worker().execute(() -> send(key, upToSeq, sessionId));
    }

    private void send(Key key, long upToSeq, String sessionId) {
        Object command = key.kind() == Kind.DELIVERED
                ? new AcknowledgeDelivery(key.conversationId(), key.memberId(), upToSeq)
                : new MarkRead(key.conversationId(), key.memberId(), upToSeq);
        CompletableFuture<Object> sent;
        try {
            sent = commands.send(command);
        } catch (RuntimeException e) {
            // the command's transaction opens on this thread: a store that cannot be reached fails here
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, failure) -> {
            if (failure != null) {
                Map<String, String> error = CommandErrors.of(failure);
                sender.toSession(key.memberId(), sessionId, LiveQueue.ERRORS, Map.of("type", error.get("type"),
                        "detail", error.get("detail"), "conversationId", key.conversationId(),
                        "upToSeq", upToSeq, "kind", key.kind().name()));
            }
        });
    }

    /** Sends what is still pending, synchronously, so a graceful shutdown loses no acknowledged receipt. */
    @PreDestroy
    void flush() {
        for (Key key : windows.keySet()) {
            Window window = windows.remove(key);
            if (window != null && window.pending > window.sent) {
                try {
                    Object command = key.kind() == Kind.DELIVERED
                            ? new AcknowledgeDelivery(key.conversationId(), key.memberId(), window.pending)
                            : new MarkRead(key.conversationId(), key.memberId(), window.pending);
                    commands.send(command).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("Receipt {} up to {} not stored at shutdown: {}", key, window.pending, e.toString());
                }
            }
        }
    }
}
