package io.parley.gateway.durability;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The ADMIN's view of {@code /actuator/health}, and a thread that records every state it showed. */
final class HealthWatch {
    record Seen(long atNanos, JsonNode body) {
    }

    private final Api api;
    private final String token;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile boolean watching;
    private Thread watcher;

    HealthWatch(Api api, String token) {
        this.api = api;
        this.token = token;
    }

    JsonNode body() {
        return api.get("/actuator/health", token).json();
    }

    JsonNode part(String name) {
        return body().path("components").path("embeddedStack").path("details").path(name);
    }

    String component(String name) {
        return body().path("components").path(name).path("status").asText();
    }

    JsonNode component(String name, String field) {
        return body().path("components").path(name).path(field);
    }

    void startWatching() {
        watching = true;
        watcher = new Thread(() -> {
            while (watching) {
                try {
                    long at = System.nanoTime();
                    seen.add(new Seen(at, body()));
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a health call that failed is no state seen
                }
            }
        }, "health-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    void stopWatching() throws InterruptedException {
        watching = false;
        if (watcher != null) {
            watcher.join(10_000);
        }
    }

    boolean sawPart(String part, String state, long sinceNanos) {
        return seen.stream().anyMatch(s -> s.atNanos() >= sinceNanos && state.equals(s.body().path("components")
                .path("embeddedStack").path("details").path(part).path("state").asText()));
    }

    boolean sawComponent(String component, String status, long sinceNanos) {
        return seen.stream().anyMatch(s -> s.atNanos() >= sinceNanos
                && status.equals(s.body().path("components").path(component).path("status").asText()));
    }
}
