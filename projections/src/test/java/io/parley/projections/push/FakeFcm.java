package io.parley.projections.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for FCM's HTTP v1 API and Google's OAuth token endpoint, on a loopback port: it records every send
 * request the real Firebase Admin SDK makes and answers 200, or what a test scripted for a token (404
 * UNREGISTERED, 503 UNAVAILABLE, ...), with the bodies FCM itself sends.
 */
public final class FakeFcm implements AutoCloseable {

    public static final String PROJECT_ID = "parley-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One send request as FCM received it, and the status it was answered with. */
    public record Request(String token, JsonNode message, int status, Instant at) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();

    private FakeFcm(HttpServer server) {
        this.server = server;
    }

    public static FakeFcm start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeFcm fake = new FakeFcm(server);
            server.createContext("/token", fake::token);
            server.createContext("/v1/projects/", fake::send);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-fcm");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the next sends to {@code token} with these statuses, in order, then 200 again. */
    public void script(String token, Integer... statuses) {
        scripts.computeIfAbsent(token, t -> new ArrayDeque<>()).addAll(List.of(statuses));
    }

    public List<Request> requests(String token) {
        return requests.stream().filter(r -> token.equals(r.token())).toList();
    }

    public List<Request> accepted(String token) {
        return requests(token).stream().filter(r -> r.status() == 200).toList();
    }

    /**
     * Writes a service-account key file as the Firebase console hands it out, with a fresh RSA key and its token
     * endpoint here, so the SDK goes through its real credential path (signed JWT exchanged for an access token).
     */
    public Path writeServiceAccount(Path directory) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Map<String, String> key = Map.of(
                    "type", "service_account",
                    "project_id", PROJECT_ID,
                    "private_key_id", "fake-key-id",
                    "private_key", pem,
                    "client_email", "push@" + PROJECT_ID + ".iam.gserviceaccount.com",
                    "client_id", "1234567890",
                    "token_uri", endpoint() + "/token");
            Files.createDirectories(directory);
            Path file = directory.resolve("firebase-service-account.json");
            Files.writeString(file, JSON.writeValueAsString(key));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        respond(exchange, 200, "{\"access_token\":\"fake-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private void send(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (!"Bearer fake-access-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", null));
            return;
        }
        JsonNode message = body.path("message");
        String token = message.path("token").asText();
        Deque<Integer> script = scripts.get(token);
        Integer scripted = script == null ? null : script.poll();
        int status = scripted == null ? 200 : scripted;
        requests.add(new Request(token, message, status, Instant.now()));
        switch (status) {
            case 200 -> respond(exchange, 200, "{\"name\":\"projects/" + PROJECT_ID + "/messages/" + System.nanoTime() + "\"}");
            case 404 -> respond(exchange, 404, error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"));
            case 400 -> respond(exchange, 400, error(400, "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT"));
            case 429 -> respond(exchange, 429, error(429, "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Send requests'.", "QUOTA_EXCEEDED"));
            case 503 -> {
                // a Retry-After beyond the SDK's own 60 s cap makes it hand the error back at once instead of
                // retrying inside the call, so the platform's retry queue is what the test sees at work
                exchange.getResponseHeaders().add("Retry-After", "120");
                respond(exchange, 503, error(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE"));
            }
            default -> respond(exchange, status, error(status, "INTERNAL", "Internal error.", "INTERNAL"));
        }
    }

    private static String error(int code, String status, String message, String fcmCode) {
        String details = fcmCode == null ? "" : ",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"" + fcmCode + "\"}]";
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"" + details + "}}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
