package io.parley.bench.stomp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * STOMP 1.2 over the JDK's non-blocking {@link WebSocket}: a small frame codec, one outbound queue per
 * session (the JDK allows one outstanding send at a time), callbacks on the client's executor.
 */
public final class JdkStompSession implements StompSession, WebSocket.Listener {

    private final Handler handler;
    private final String connectFrame;
    private final CompletableFuture<StompFrame> connected = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<String> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;
    private volatile boolean open;
    private volatile long lastReceived = System.nanoTime();
    private volatile long lastSent = System.nanoTime();

    private JdkStompSession(Handler handler, String connectFrame) {
        this.handler = handler;
        this.connectFrame = connectFrame;
    }

    public static JdkStompSession open(HttpClient client, URI uri, String host, String bearer, int heartbeatMs,
                                       Handler handler) {
        String connect = StompFrame.encode("CONNECT", null,
                "accept-version", "1.2", "host", host, "heart-beat", heartbeatMs + "," + heartbeatMs,
                "Authorization", "Bearer " + bearer, "passcode", bearer);
        JdkStompSession s = new JdkStompSession(handler, connect);
        client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(uri, s)
                .whenComplete((w, e) -> {
                    if (e != null) {
                        s.connected.completeExceptionally(e);
                        s.open = false;
                    }
                });
        return s;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        this.open = true;
        webSocket.request(1);
        enqueue(connectFrame);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastReceived = System.nanoTime();
        if (!last || partial.length() > 0) {
            partial.append(data);
            if (last) {
                String all = partial.toString();
                partial.setLength(0);
                process(all);
            }
        } else {
            process(data.toString());
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastReceived = System.nanoTime();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.append(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        if (last) {
            String all = partial.toString();
            partial.setLength(0);
            process(all);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastReceived = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        open = false;
        connected.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        handler.onClosed(this, statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        open = false;
        connected.completeExceptionally(error);
        handler.onClosed(this, String.valueOf(error));
    }

    private void process(String text) {
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            while (pos < n && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
                pos++; // heart-beats
            }
            if (pos >= n) {
                return;
            }
            int nul = text.indexOf('\0', pos);
            int end = nul < 0 ? n : nul;
            StompFrame f = StompFrame.decode(text, pos, end);
            pos = end + 1;
            if (f == null) {
                continue;
            }
            switch (f.command()) {
                case "MESSAGE" -> handler.onMessage(this, f.header("subscription"), f.body());
                case "CONNECTED" -> connected.complete(f);
                case "ERROR" -> {
                    String msg = f.header("message") + (f.body().isEmpty() ? "" : ": " + f.body());
                    connected.completeExceptionally(new IllegalStateException("STOMP ERROR " + msg));
                    handler.onError(this, msg);
                }
                default -> { /* RECEIPT and others: ignored */ }
            }
        }
    }

    @Override
    public CompletableFuture<StompFrame> connected() {
        return connected;
    }

    @Override
    public void subscribe(String id, String destination) {
        enqueue(StompFrame.encode("SUBSCRIBE", null, "id", id, "destination", destination, "ack", "auto"));
    }

    @Override
    public void send(String destination, String jsonBody) {
        enqueue(StompFrame.encode("SEND", jsonBody, "destination", destination, "content-type", "application/json"));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long lastReceivedNanos() {
        return lastReceived;
    }

    @Override
    public boolean alive(long nowNanos, long maxSilenceNanos) {
        return open && nowNanos - lastReceived < maxSilenceNanos;
    }

    @Override
    public void heartbeatIfIdle(long nowNanos, long idleNanos) {
        if (open && nowNanos - lastSent > idleNanos && outbound.isEmpty()) {
            enqueue("\n");
        }
    }

    private void enqueue(String frame) {
        outbound.add(frame);
        pump();
    }

    private void pump() {
        while (true) {
            WebSocket w = ws;
            if (w == null || !open) {
                return;
            }
            if (!sending.compareAndSet(false, true)) {
                return;
            }
            String f = outbound.poll();
            if (f == null) {
                sending.set(false);
                if (outbound.isEmpty()) {
                    return;
                }
                continue;
            }
            lastSent = System.nanoTime();
            CompletableFuture<WebSocket> cf;
            try {
                cf = w.sendText(f, true);
            } catch (RuntimeException e) {
                sending.set(false);
                open = false;
                handler.onClosed(this, "send failed: " + e);
                return;
            }
            if (cf.isDone()) {
                sending.set(false);
                if (cf.isCompletedExceptionally()) {
                    open = false;
                    handler.onClosed(this, "send failed");
                    return;
                }
                continue;
            }
            cf.whenComplete((x, e) -> {
                sending.set(false);
                if (e != null) {
                    open = false;
                    handler.onClosed(this, "send failed: " + e);
                } else {
                    pump();
                }
            });
            return;
        }
    }

    @Override
    public void close() {
        WebSocket w = ws;
        if (w != null && open) {
            open = false;
            w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
    }
}
