package io.parley.projections.batching;

import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PacedTokenStoreTest {

    private final InMemoryTokenStore tokens = new InMemoryTokenStore();
    private final PacedTokenStore store = new PacedTokenStore(tokens, Map.of("search", Duration.ofMillis(300)));

    @Test
    void aPacedProcessorThatKeepsUpWaitsAfterStoringItsToken() {
        tokens.initializeTokenSegments("search", 1);
        store.storeToken(new GlobalSequenceTrackingToken(10), "search", 0);

        long took = timed(() -> store.storeToken(new GlobalSequenceTrackingToken(11), "search", 0));

        assertThat(took).as("one event since the last batch: wait for more").isGreaterThanOrEqualTo(290);
        assertThat(tokens.fetchToken("search", 0)).as("stored before the wait")
                .isEqualTo(new GlobalSequenceTrackingToken(11));
    }

    @Test
    void aProcessorCatchingUpNeverWaits() {
        tokens.initializeTokenSegments("search", 1);
        store.storeToken(new GlobalSequenceTrackingToken(10), "search", 0);

        long took = timed(() -> store.storeToken(new GlobalSequenceTrackingToken(10 + PacedTokenStore.CATCHING_UP),
                "search", 0));

        assertThat(took).isLessThan(200);
    }

    @Test
    void processorsWithoutAPaceNeverWait() {
        tokens.initializeTokenSegments("conversation-views", 1);
        store.storeToken(new GlobalSequenceTrackingToken(1), "conversation-views", 0);

        long took = timed(() -> store.storeToken(new GlobalSequenceTrackingToken(2), "conversation-views", 0));

        assertThat(took).isLessThan(200);
    }

    @Test
    void anInterruptedWaitEndsAtOnceAndKeepsTheInterrupt() {
        tokens.initializeTokenSegments("search", 1);
        store.storeToken(new GlobalSequenceTrackingToken(1), "search", 0);
        Thread.currentThread().interrupt();
        try {
            long took = timed(() -> store.storeToken(new GlobalSequenceTrackingToken(2), "search", 0));
            assertThat(took).isLessThan(200);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
