package io.parley.bench.stats;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform serves Prometheus to ADMIN only: the scraper signs in first, and again when its token expires. */
class PrometheusTest {
    HttpServer server;
    final AtomicInteger signIns = new AtomicInteger();
    volatile String validToken = "token-1";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/auth/token", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"handle\":\"admin\"") && body.contains("\"password\":\"s3cret\\\"x\"")) {
                signIns.incrementAndGet();
                reply(ex, 200, "{\"accessToken\": \"" + validToken + "\", \"tokenType\":\"Bearer\"}");
            } else {
                reply(ex, 401, "{}");
            }
        });
        server.createContext("/actuator/prometheus", ex -> {
            if (("Bearer " + validToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 200, "# HELP x\nparley_up 1.0\n");
            } else {
                reply(ex, 401, "");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void signsInAsAdminAndAgainWhenTheTokenExpires() {
        Prometheus prom = new Prometheus(HttpClient.newHttpClient(), url(), "admin", "s3cret\"x");
        assertThat(prom.scrape().has("parley_up")).isTrue();
        assertThat(prom.scrape()).isNotNull();
        assertThat(signIns).hasValue(1);
        validToken = "token-2";
        assertThat(prom.scrape().has("parley_up")).isTrue();
        assertThat(signIns).hasValue(2);
    }

    @Test
    void withoutThePasswordTheScrapeIsRefused() {
        assertThat(new Prometheus(HttpClient.newHttpClient(), url(), "admin", null).scrape()).isNull();
        assertThat(new Prometheus(HttpClient.newHttpClient(), url(), "admin", "wrong").scrape()).isNull();
    }
}
