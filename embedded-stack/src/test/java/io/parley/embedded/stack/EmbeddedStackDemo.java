package io.parley.embedded.stack;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Test-only program: starts the embedded stack without Spring and keeps it running until the JVM is stopped
 * (checks the JVM shutdown hook by hand: {@code kill -TERM <jvm>} must stop both children).
 * Argument: the data directory.
 */
public final class EmbeddedStackDemo {

    private EmbeddedStackDemo() {
    }

    public static void main(String[] args) throws Exception {
        ChatStackProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "chat.data-dir", args.length > 0 ? args[0] : "target/demo-data",
                "chat.search.heap", "256m")))
                .bindOrCreate("chat", ChatStackProperties.class);
        EmbeddedStack stack = new EmbeddedStack(properties).begin();
        System.out.println("postgres " + stack.awaitPostgres().jdbcUrl());
        System.out.println("elasticsearch " + stack.elasticsearchReadiness().await());
        System.out.println("READY pg=" + stack.embeddedPostgres().pid() + " es=" + stack.embeddedElasticsearch().pid());
        Thread.sleep(Long.MAX_VALUE);
    }
}
