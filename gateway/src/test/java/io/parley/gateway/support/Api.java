package io.parley.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A REST client as an app would use it: JSON over HTTP, bearer tokens, nothing Spring-specific. */
public class Api {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String PASSWORD = "correct horse battery";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public Api(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return body == null || body.isEmpty() ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        public boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }
    }

    /** A signed-up and signed-in user. */
    public record User(String id, String handle, String displayName, String accessToken, String refreshToken) {
    }

    public Response send(String method, String path, Object body, String token) {
        return send(method, path, body == null ? null : write(body), "application/json", token);
    }

    public Response send(String method, String path, String rawBody, String contentType, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, rawBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(rawBody));
        if (rawBody != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, null, token);
    }

    public Response post(String path, Object body, String token) {
        return send("POST", path, body, token);
    }

    public Response put(String path, Object body, String token) {
        return send("PUT", path, body, token);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, null, token);
    }

    public static String uniqueHandle(String prefix) {
        return (prefix + UUID.randomUUID().toString().replace("-", "")).substring(0, 24);
    }

    public User signUp(String prefix) {
        String handle = uniqueHandle(prefix);
        Response created = post("/api/accounts", Map.of("handle", handle, "displayName", "User " + handle,
                "password", PASSWORD), null);
        if (created.status() != 201) {
            throw new IllegalStateException("sign-up failed: " + created.status() + " " + created.body());
        }
        return signIn(created.json().get("id").asText(), handle, "User " + handle, PASSWORD);
    }

    public User signIn(String id, String handle, String displayName, String password) {
        Response token = post("/api/auth/token", Map.of("handle", handle, "password", password), null);
        if (token.status() != 200) {
            throw new IllegalStateException("sign-in failed: " + token.status() + " " + token.body());
        }
        return new User(id, handle, displayName, token.json().get("accessToken").asText(),
                token.json().get("refreshToken").asText());
    }

    public User admin() {
        Response token = post("/api/auth/token", Map.of("handle", "admin", "password", ADMIN_PASSWORD), null);
        if (token.status() != 200) {
            throw new IllegalStateException("admin sign-in failed: " + token.status() + " " + token.body());
        }
        String access = token.json().get("accessToken").asText();
        String id = get("/api/me", access).json().get("id").asText();
        return new User(id, "admin", "Administrator", access, token.json().get("refreshToken").asText());
    }

    public static String write(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
