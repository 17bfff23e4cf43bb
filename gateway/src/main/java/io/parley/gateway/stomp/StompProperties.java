package io.parley.gateway.stomp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * The STOMP endpoint ({@code chat.stomp.*}).
 *
 * @param endpoint             the WebSocket path clients connect to
 * @param sockjs               also serve a SockJS fallback at {@code <endpoint>-sockjs} (off: every client we
 *                             target speaks plain WebSocket, and SockJS adds an HTTP long-poll surface)
 * @param allowedOrigins       origin patterns allowed to open the socket (browsers send Origin; bots do not)
 * @param heartbeat            the server's heart-beat in both directions (STOMP {@code heart-beat} header)
 * @param inboundThreads       threads handling client frames; commands run on them (simple command bus), and
 *                             concurrent appends let PostgreSQL group-commit, so more threads than cores pay off:
 *                             a SEND holds its thread for its whole commit, so the pool caps the rate at threads
 *                             / command time (bench {@code direct}, 300 msg/s on 2 shared cores: ack p50 67 ms
 *                             with 16 threads, 2.4 s with 8, 11.3 s with 4: the SENDs queued)
 * @param outboundThreads      threads writing frames to sockets, shared by all sessions; each session's frames
 *                             are written in publish order by one thread at a time ({@link SessionOrderedExecutor}),
 *                             and a write that stalls (a client not reading) gets a thread lent beside them, so
 *                             stalled clients never hold the threads the others need. (Spring's publish-order decorator, used before, let one
 *                             session see seq 197 before 196 under ten concurrent senders, so it ran one thread.)
 * @param sendTimeLimit        a socket write to one client may take this long; then (and when frames waiting for
 *                             it pass {@code sendBufferSizeLimit}) its session is closed with 4500 and the
 *                             client resyncs on reconnect: a client that stopped reading holds one thread, this
 *                             much memory and this much time, and slows no one else
 * @param sendBufferSizeLimit  frames waiting for one session, at most
 * @param connectTimeout       a socket that has not completed a CONNECT this long after its handshake gets an
 *                             ERROR frame and is closed (idle or half-sent frames cannot hold sockets open)
 * @param receiptWindow        acks of one member for one conversation arriving within this window become one
 *                             command carrying the highest seq
 * @param typingTtl            a typing indicator without refresh expires after this long
 * @param typingPerSecond      typing frames one session may send per second; more are dropped with an error
 * @param maxSubscriptions     subscriptions one session may hold (a client needs six, one per live queue); a
 *                             SUBSCRIBE beyond it, or to a destination the session already subscribes, is refused
 *                             on {@code /user/queue/errors} and the session stays
 * @param maxSessionsPerUser   connected sessions one account may hold on a node; the extra CONNECT gets an ERROR
 *                             frame and its socket closes
 */
@ConfigurationProperties("chat.stomp")
public record StompProperties(@DefaultValue("/ws") String endpoint,
                              @DefaultValue("false") boolean sockjs,
                              @DefaultValue("*") List<String> allowedOrigins,
                              @DefaultValue("10s") Duration heartbeat,
                              @DefaultValue("16") int inboundThreads,
                              @DefaultValue("8") int outboundThreads,
                              @DefaultValue("10s") Duration sendTimeLimit,
                              @DefaultValue("1MB") DataSize sendBufferSizeLimit,
                              @DefaultValue("10s") Duration connectTimeout,
                              @DefaultValue("250ms") Duration receiptWindow,
                              @DefaultValue("5s") Duration typingTtl,
                              @DefaultValue("5") int typingPerSecond,
                              @DefaultValue("32") int maxSubscriptions,
                              @DefaultValue("10") int maxSessionsPerUser) {

    public StompProperties {
        if (inboundThreads < 1 || outboundThreads < 1 || typingPerSecond < 1) {
            throw new IllegalArgumentException("chat.stomp thread counts and typing rate must be positive");
        }
        if (maxSubscriptions < 1 || maxSessionsPerUser < 1) {
            throw new IllegalArgumentException("chat.stomp.max-subscriptions and max-sessions-per-user must be positive");
        }
        if (sendTimeLimit.isNegative() || sendTimeLimit.isZero() || sendTimeLimit.toMillis() > Integer.MAX_VALUE
                || sendBufferSizeLimit.toBytes() < 1 || sendBufferSizeLimit.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chat.stomp.send-time-limit and send-buffer-size-limit must be positive");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("chat.stomp.connect-timeout must be positive");
        }
        if (receiptWindow.isNegative() || typingTtl.isNegative() || heartbeat.isNegative()) {
            throw new IllegalArgumentException("chat.stomp durations must not be negative");
        }
    }
}
