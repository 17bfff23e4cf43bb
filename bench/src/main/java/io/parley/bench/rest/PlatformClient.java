package io.parley.bench.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The REST calls a client makes before it opens its socket: sign-up, sign-in, open a conversation. */
public final class PlatformClient {

    public record User(int index, String id, String handle, String token) {
    }

    public static final String PASSWORD = "Bench-Load-7q!x";

    private final HttpClient http;
    private final String base;
    private final ObjectMapper json = new ObjectMapper();

    public PlatformClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.base = baseUrl;
    }

    public HttpClient http() {
        return http;
    }

    JsonNode call(String method, String path, Object body, String token, int... okStatus) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (int s : okStatus) {
            if (r.statusCode() == s) {
                return r.body().isEmpty() ? json.createObjectNode() : json.readTree(r.body());
            }
        }
        throw new IOException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }

    /** A JSON request that must answer one of {@code okStatus}. */
    public JsonNode request(String method, String path, Object body, String token, int... okStatus)
            throws IOException, InterruptedException {
        return call(method, path, body, token, okStatus);
    }

    /** An access token for an existing account (e.g. the platform's first admin). */
    public String signIn(String handle, String password) throws IOException, InterruptedException {
        return call("POST", "/api/auth/token", Map.of("handle", handle, "password", password), null, 200)
                .path("accessToken").asText();
    }

    /** Signs up {@code n} users (handles {@code <prefix><i>}) and signs each in, {@code parallel} at a time. */
    public List<User> users(String prefix, int n, int parallel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<User>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int idx = i;
                fs.add(pool.submit(() -> user(prefix, idx)));
            }
            List<User> out = new ArrayList<>();
            for (Future<User> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    User user(String prefix, int i) throws IOException, InterruptedException {
        String handle = prefix + i;
        JsonNode reg = call("POST", "/api/accounts",
                Map.of("handle", handle, "displayName", "Bench " + handle, "password", PASSWORD), null, 201, 200);
        JsonNode tok = call("POST", "/api/auth/token", Map.of("handle", handle, "password", PASSWORD), null, 200);
        return new User(i, reg.path("id").asText(), handle, tok.path("accessToken").asText());
    }

    public String direct(User a, User b) throws IOException, InterruptedException {
        return call("POST", "/api/conversations", Map.of("type", "DIRECT", "peerId", b.id()), a.token(), 201, 200)
                .path("id").asText();
    }

    public String group(User creator, List<User> others, String title) throws IOException, InterruptedException {
        List<String> ids = others.stream().map(User::id).toList();
        return call("POST", "/api/conversations", Map.of("type", "GROUP", "title", title, "memberIds", ids),
                creator.token(), 201, 200).path("id").asText();
    }
}
