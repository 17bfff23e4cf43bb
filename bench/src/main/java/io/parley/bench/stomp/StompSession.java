package io.parley.bench.stomp;

import java.util.concurrent.CompletableFuture;

/** A client STOMP session over one WebSocket, as the generator needs it. */
public interface StompSession {

    /** Completes with the CONNECTED frame (or exceptionally with the ERROR frame or I/O failure). */
    CompletableFuture<StompFrame> connected();

    void subscribe(String id, String destination);

    /** Queues a SEND; never blocks. */
    void send(String destination, String jsonBody);

    boolean isOpen();

    /** Nanos (System.nanoTime) of the last inbound byte, frame or heart-beat. */
    long lastReceivedNanos();

    /** Sends an EOL heart-beat when nothing was sent for {@code idleNanos}. */
    void heartbeatIfIdle(long nowNanos, long idleNanos);

    /** Open, and something (a frame or a heart-beat) arrived within {@code maxSilenceNanos}. */
    boolean alive(long nowNanos, long maxSilenceNanos);

    void close();

    /** Receives every MESSAGE (by subscription id), ERROR and close of a session. */
    interface Handler {
        void onMessage(StompSession session, String subscription, String body);

        default void onError(StompSession session, String message) {
        }

        default void onClosed(StompSession session, String reason) {
        }
    }
}
