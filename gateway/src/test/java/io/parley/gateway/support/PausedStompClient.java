package io.parley.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A STOMP client that stops reading its socket, as a phone that lost its radio without closing the TCP
 * connection does: a raw socket with a small receive buffer, the WebSocket handshake, CONNECT and one
 * SUBSCRIBE to {@code /user/queue/messages} (confirmed by a RECEIPT), and then nothing is read until
 * {@link #readUntilClosed}. Frames the server writes pile up in the kernel's buffers and then in the server.
 */
public final class PausedStompClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private PausedStompClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static PausedStompClient connect(int port, String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        PausedStompClient client = new PausedStompClient(socket);
        client.handshake(port);
        client.frame("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer " + token
                + "\n\n\0");
        client.awaitText("CONNECTED");
        client.frame("SUBSCRIBE\nid:0\ndestination:/user/queue/messages\nreceipt:r0\n\n\0");
        client.awaitText("RECEIPT");
        return client;
    }

    /**
     * Starts reading again and reads until the server closes the connection; true if it did within the
     * timeout (the end of the stream or a reset), false if the server still held the session open.
     */
    public boolean readUntilClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[64 * 1024];
        socket.setSoTimeout(250);
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException idle) {
                continue;
            } catch (IOException reset) {
                return true;
            }
            if (n < 0) {
                return true;
            }
            // frames written before the server gave up on us: discarded
        }
        return false;
    }

    private void handshake(int port) throws IOException {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readUntil("\r\n\r\n");
        if (!response.startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket handshake refused: " + response.lines().findFirst().orElse(""));
        }
    }

    /** One masked text frame, as a client must send it (RFC 6455, section 5.3). */
    private void frame(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private void awaitText(String marker) throws IOException {
        readUntil(marker);
    }

    private String readUntil(String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before '" + marker.strip() + "': " + seen);
            }
            seen.write(b);
            String text = seen.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith(marker)) {
                return text;
            }
            if (text.contains("ERROR")) {
                // read a little more for the message, then fail
                throw new IOException("STOMP ERROR while waiting for '" + marker + "'");
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test client
        }
    }
}
