package io.parley.gateway.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.parley.embedded.stack.EmbeddedStack;

/**
 * Restarts of the supervised children as an alert signal (README, "Crash safety"): the counter
 * {@code parley.embedded.restarts} per part (tag {@code part}: {@code postgres}, {@code elasticsearch}), read from
 * the stack when scraped. Nothing is registered for a part that is external. See also
 * {@link EmbeddedStackHealthIndicator}.
 */
public class EmbeddedStackMetrics implements MeterBinder {

    private final EmbeddedStack stack;

    public EmbeddedStackMetrics(EmbeddedStack stack) {
        this.stack = stack;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (EmbeddedStack.PartStatus part : stack.parts()) {
            String name = part.part();
            FunctionCounter.builder("parley.embedded.restarts", stack, s -> restarts(s, name))
                    .tag("part", name)
                    .description("Restarts of an embedded child (PostgreSQL, Elasticsearch) after it died")
                    .register(registry);
        }
    }

    private static double restarts(EmbeddedStack stack, String part) {
        return stack.parts().stream().filter(p -> p.part().equals(part)).mapToLong(EmbeddedStack.PartStatus::restarts)
                .findFirst().orElse(0);
    }
}
