package io.parley.gateway.stomp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 * @param outboundThreads      threads writing frames to sockets: 1 by default, because with several, Spring's
 *                             publish-order decorator still let one session see seq 197 before 196 under ten
 *                             concurrent senders (StompMessagingIT); one thread fed by the single live processor
 *                             is FIFO. The cost: a client whose socket stalls holds it up to the send time limit (20 s)
 * @param receiptWindow        acks of one member for one conversation arriving within this window become one
 *                             command carrying the highest seq
 * @param typingTtl            a typing indicator without refresh expires after this long
 * @param typingPerSecond      typing frames one session may send per second; more are dropped with an error
 */
@ConfigurationProperties("chat.stomp")
public record StompProperties(@DefaultValue("/ws") String endpoint,
                              @DefaultValue("false") boolean sockjs,
                              @DefaultValue("*") List<String> allowedOrigins,
                              @DefaultValue("10s") Duration heartbeat,
                              @DefaultValue("16") int inboundThreads,
                              @DefaultValue("1") int outboundThreads,
                              @DefaultValue("250ms") Duration receiptWindow,
                              @DefaultValue("5s") Duration typingTtl,
                              @DefaultValue("5") int typingPerSecond) {

    public StompProperties {
        if (inboundThreads < 1 || outboundThreads < 1 || typingPerSecond < 1) {
            throw new IllegalArgumentException("chat.stomp thread counts and typing rate must be positive");
        }
        if (receiptWindow.isNegative() || typingTtl.isNegative() || heartbeat.isNegative()) {
            throw new IllegalArgumentException("chat.stomp durations must not be negative");
        }
    }
}
