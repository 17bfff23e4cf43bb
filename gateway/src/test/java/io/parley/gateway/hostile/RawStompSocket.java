package io.parley.gateway.hostile;

import io.parley.gateway.support.StompTestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw STOMP-over-WebSocket connection: frames sent as written, frames received as text. */
final class RawStompSocket implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient WS = HttpClient.newHttpClient();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile String closeStatus = "open";
    private WebSocket socket;

    static RawStompSocket open(int port) throws Exception {
        RawStompSocket raw = new RawStompSocket();
        raw.socket = WS.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(StompTestClient.url(port)), raw).get(10, TimeUnit.SECONDS);
        return raw;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    /** The first ERROR frame within {@code timeout}, or null (also when the socket closed without one). */
    String error(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = received.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.startsWith("ERROR")) {
                return frame;
            }
            if (frame == null && closed.isDone() && received.isEmpty()) {
                return null;
            }
        }
        return null;
    }

    boolean awaitReceipt(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = received.poll(50, TimeUnit.MILLISECONDS);
            if (frame != null && frame.startsWith("RECEIPT") && frame.contains("receipt-id:" + id)) {
                return true;
            }
            if (frame == null && closed.isDone()) {
                return false;
            }
        }
        return false;
    }

    String closeStatus() {
        return closeStatus;
    }

    /** ERROR frames seen so far. */
    List<String> errors() {
        return seen.stream().filter(f -> f.startsWith("ERROR")).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            received.add(frame);
            seen.add(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeStatus = statusCode + " " + reason;
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeStatus = "client error " + error;
        closed.complete(null);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
