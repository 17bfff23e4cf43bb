package io.parley.gateway.app;

import java.util.LinkedHashMap;
import java.util.Map;

import io.parley.embedded.stack.EmbeddedStack;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health {@code embeddedStack}: the supervised children (README, "Crash safety"), one detail per embedded part
 * ({@code postgres}, {@code elasticsearch}) with its state, pid, port, unexpected exits ({@code crashes}),
 * restarts after them and when the last crash was noticed. DOWN while a part is not running (it died and is being
 * restarted); UP when every embedded part runs, and when nothing is embedded (every part external).
 */
public class EmbeddedStackHealthIndicator implements HealthIndicator {

    private final EmbeddedStack stack;

    public EmbeddedStackHealthIndicator(EmbeddedStack stack) {
        this.stack = stack;
    }

    @Override
    public Health health() {
        boolean up = true;
        Health.Builder builder = Health.unknown();
        for (EmbeddedStack.PartStatus part : stack.parts()) {
            up &= part.running();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", part.state());
            details.put("pid", part.pid());
            details.put("port", part.port());
            details.put("crashes", part.crashes());
            details.put("restarts", part.restarts());
            if (part.lastCrash() != null) {
                details.put("lastCrash", part.lastCrash().toString());
            }
            builder.withDetail(part.part(), details);
        }
        return (up ? builder.up() : builder.down()).build();
    }
}
