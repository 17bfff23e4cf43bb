package io.parley.gateway.deadletter;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handler in the {@code conversation-views} processor (the one behind history) that throws on
 * {@link PoisonedEvent} while {@link #FAILING} is set, quoting the event in its message as real handlers do
 * ({@code "unknown member a\0b"}). It handles no other event, so it changes nothing for the other tests that
 * share this application context.
 */
@Component
@ProcessingGroup("conversation-views")
class PoisonedEventHandler {

    static final AtomicBoolean FAILING = new AtomicBoolean();

    @EventHandler
    void on(PoisonedEvent event) {
        if (FAILING.get()) {
            throw new IllegalStateException("cannot project " + event.text());
        }
    }
}
