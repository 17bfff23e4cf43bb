package io.parley.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real STOMP client as apps use it: Spring's {@link WebSocketStompClient} over a standard WebSocket, one per
 * user session, subscribed to every documented queue (each SUBSCRIBE confirmed by its RECEIPT), with every
 * frame body parsed as JSON into a queue per destination.
 */
public class StompTestClient implements AutoCloseable {
    public static final List<String> QUEUES = List.of("messages", "receipts", "presence", "typing", "acks", "errors");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final WebSocketStompClient CLIENT;

    static {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("test-stomp-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        // Tomcat's client container buffers 8 KB of a text message by default and closes with 1009 past it;
        // the platform sends frames up to its 256 KB limit
        jakarta.websocket.WebSocketContainer container = jakarta.websocket.ContainerProvider.getWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(1024 * 1024);
        CLIENT = new WebSocketStompClient(new StandardWebSocketClient(container));
        CLIENT.setTaskScheduler(scheduler);
        CLIENT.setDefaultHeartbeat(new long[]{10_000, 10_000});
        CLIENT.setInboundMessageSizeLimit(1024 * 1024);
    }

    private final StompSession session;
    private final StompHeaders connected;
    private final Map<String, BlockingQueue<JsonNode>> queues = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Long>> arrivals = new ConcurrentHashMap<>();

    private StompTestClient(StompSession session, StompHeaders connected) {
        this.session = session;
        this.connected = connected;
    }

    public static String url(int port) {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    /** Connects with {@code Authorization: Bearer}, subscribes to all six queues and waits for their receipts. */
    public static StompTestClient connect(int port, String token) {
        StompHeaders headers = new StompHeaders();
        headers.add("Authorization", "Bearer " + token);
        return connect(port, headers);
    }

    public static StompTestClient connect(int port, StompHeaders connectHeaders) {
        return connect(port, connectHeaders, true);
    }

    /** Connected, with no subscription yet: for tests of SUBSCRIBE itself (a duplicate one is refused). */
    public static StompTestClient connectWithoutSubscriptions(int port, String token) {
        StompHeaders headers = new StompHeaders();
        headers.add("Authorization", "Bearer " + token);
        return connect(port, headers, false);
    }

    /** Connects to a full WebSocket URL (e.g. through a proxy, with a routing parameter) and subscribes to all queues. */
    public static StompTestClient connect(String url, String token) {
        StompHeaders headers = new StompHeaders();
        headers.add("Authorization", "Bearer " + token);
        return connect(url, headers, true);
    }

    private static StompTestClient connect(int port, StompHeaders connectHeaders, boolean subscribeAll) {
        return connect(url(port), connectHeaders, subscribeAll);
    }

    private static StompTestClient connect(String url, StompHeaders connectHeaders, boolean subscribeAll) {
        CompletableFuture<StompHeaders> connectedHeaders = new CompletableFuture<>();
        try {
            StompSession session = CLIENT.connectAsync(url, new WebSocketHttpHeaders(), connectHeaders,
                    new StompSessionHandlerAdapter() {
                        @Override
                        public void afterConnected(StompSession s, StompHeaders headers) {
                            connectedHeaders.complete(headers);
                        }
                    }).get(30, TimeUnit.SECONDS);
            StompTestClient client = new StompTestClient(session, connectedHeaders.get(5, TimeUnit.SECONDS));
            if (subscribeAll) {
                client.subscribeAll();
            } else {
                client.session.setAutoReceipt(true);
            }
            return client;
        } catch (Exception e) {
            throw new IllegalStateException("STOMP connect failed", e);
        }
    }

    /** A CONNECT expected to be refused: the ERROR frame's headers, or null if the connection was accepted. */
    public static StompHeaders connectRefused(int port, StompHeaders connectHeaders) throws Exception {
        CompletableFuture<StompHeaders> error = new CompletableFuture<>();
        CompletableFuture<StompSession> session = CLIENT.connectAsync(url(port), new WebSocketHttpHeaders(),
                connectHeaders, new StompSessionHandlerAdapter() {
                    @Override
                    public Type getPayloadType(StompHeaders headers) {
                        return byte[].class;
                    }

                    @Override
                    public void handleFrame(StompHeaders headers, Object payload) {
                        error.complete(headers);
                    }
                });
        try {
            StompSession accepted = session.get(30, TimeUnit.SECONDS);
            accepted.disconnect();
            return null;
        } catch (Exception refused) {
            return error.get(10, TimeUnit.SECONDS);
        }
    }

    private void subscribeAll() throws InterruptedException {
        session.setAutoReceipt(true);
        CountDownLatch receipts = new CountDownLatch(QUEUES.size());
        for (String queue : QUEUES) {
            queues.put(queue, new LinkedBlockingQueue<>());
            arrivals.put(queue, new LinkedBlockingQueue<>());
            subscribe("/user/queue/" + queue, queue).addReceiptTask(receipts::countDown);
        }
        if (!receipts.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no RECEIPT for the subscriptions");
        }
    }

    /** Subscribes to any destination (for refusal tests); frames land in the queue named {@code into}. */
    public StompSession.Subscription subscribe(String destination, String into) {
        queues.computeIfAbsent(into, k -> new LinkedBlockingQueue<>());
        arrivals.computeIfAbsent(into, k -> new LinkedBlockingQueue<>());
        return session.subscribe(destination, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return byte[].class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                try {
                    arrivals.get(into).add(System.nanoTime());
                    queues.get(into).add(JSON.readTree((byte[]) payload));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    public StompHeaders connectedHeaders() {
        return connected;
    }

    public StompSession session() {
        return session;
    }

    public StompSession.Receiptable send(String destination, Object body) {
        return sendRaw(destination, body instanceof String s ? s : Api.write(body));
    }

    public StompSession.Receiptable sendRaw(String destination, String body) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
        return session.send(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame on {@code queue}, or null after {@code timeout}. */
    public JsonNode next(String queue, Duration timeout) {
        try {
            JsonNode frame = queues.get(queue).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame != null) {
                arrivals.get(queue).poll();
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public JsonNode next(String queue) {
        return next(queue, Duration.ofSeconds(20));
    }

    /** The next frame with its arrival time (System.nanoTime), for latency measurements. */
    public Timed nextTimed(String queue, Duration timeout) {
        try {
            JsonNode frame = queues.get(queue).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return frame == null ? null : new Timed(frame, arrivals.get(queue).poll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public record Timed(JsonNode frame, Long arrivedNanos) {
    }

    /**
     * The next timeline frame on {@code messages}, skipping the CREATED notice of a conversation (the live
     * processor may deliver it after a client connected, even though the conversation was created before).
     */
    public JsonNode nextMessage(Duration timeout) {
        Timed timed = nextTimedMessage(timeout);
        return timed == null ? null : timed.frame();
    }

    public JsonNode nextMessage() {
        return nextMessage(Duration.ofSeconds(20));
    }

    public Timed nextTimedMessage(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Timed timed = nextTimed("messages", Duration.ofNanos(left));
            if (timed == null) {
                return null;
            }
            if (!"CREATED".equals(timed.frame().path("action").asText())) {
                return timed;
            }
        }
    }

    public List<JsonNode> takeMessages(int count, Duration timeout) {
        List<JsonNode> frames = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count) {
            JsonNode frame = nextMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame == null) {
                break;
            }
            frames.add(frame);
        }
        return frames;
    }

    /** Frames on {@code queue} until {@code count} arrived or {@code timeout} passed. */
    public List<JsonNode> take(String queue, int count, Duration timeout) {
        List<JsonNode> frames = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            JsonNode frame = next(queue, Duration.ofNanos(left));
            if (frame != null) {
                frames.add(frame);
            }
        }
        return frames;
    }

    /** Every frame that arrives on {@code queue} within {@code quiet}. */
    public List<JsonNode> drain(String queue, Duration quiet) {
        List<JsonNode> frames = new ArrayList<>();
        JsonNode frame;
        while ((frame = next(queue, quiet)) != null) {
            frames.add(frame);
        }
        return frames;
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public void close() {
        if (session.isConnected()) {
            session.disconnect();
        }
    }

}
