package io.parley.embedded.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.parley.embedded.EmbeddedStackException;
import org.junit.jupiter.api.Test;

/** The supervisor's rules on a simulated child: restart after a crash, bounded backoff, nothing after close. */
class SupervisedChildTest {

    private static final ChatStackProperties.Supervision FAST = new ChatStackProperties.Supervision(true,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200));

    /** A child whose process can be "killed"; its start can be made to fail a number of times. */
    private static final class FakeChild {
        final AtomicBoolean alive = new AtomicBoolean(true);
        final AtomicInteger failuresLeft = new AtomicInteger();
        final List<Long> startAttempts = new CopyOnWriteArrayList<>();

        void start() {
            startAttempts.add(System.nanoTime());
            if (failuresLeft.getAndDecrement() > 0) {
                throw new EmbeddedStackException("port still in use");
            }
            alive.set(true);
        }

        SupervisedChild supervise(ChatStackProperties.Supervision settings) {
            return new SupervisedChild("fake", alive::get, () -> alive.get() ? 42 : -1, this::start,
                    () -> "(log)", settings);
        }
    }

    @Test
    void aChildThatDiesIsRestartedAndCounted() {
        FakeChild child = new FakeChild();
        try (SupervisedChild supervisor = child.supervise(FAST)) {
            supervisor.watch();
            child.alive.set(false);
            await(() -> supervisor.restarts() == 1);
            assertThat(child.alive.get()).isTrue();
            assertThat(supervisor.crashes()).isEqualTo(1);
            assertThat(supervisor.state()).isEqualTo(SupervisedChild.State.RUNNING);
            assertThat(supervisor.lastCrash()).isNotNull();

            child.alive.set(false);
            await(() -> supervisor.restarts() == 2);
            assertThat(supervisor.crashes()).isEqualTo(2);
        }
    }

    @Test
    void failedAttemptsBackOffDoublingUpToTheMaximum() {
        FakeChild child = new FakeChild();
        child.failuresLeft.set(4);
        try (SupervisedChild supervisor = child.supervise(FAST)) {
            supervisor.watch();
            child.alive.set(false);
            await(() -> supervisor.restarts() == 1);
            assertThat(child.startAttempts).hasSize(5);
            assertThat(supervisor.crashes()).isEqualTo(1);
            // waits before the attempts: 50, 100, 200, 200 (capped), 200 ms
            List<Long> t = child.startAttempts;
            assertThat(millis(t.get(1) - t.get(0))).isBetween(90L, 190L);
            assertThat(millis(t.get(2) - t.get(1))).isBetween(190L, 390L);
            assertThat(millis(t.get(3) - t.get(2))).isBetween(190L, 390L);
            assertThat(millis(t.get(4) - t.get(3))).isBetween(190L, 390L);
        }
    }

    @Test
    void nothingIsRestartedOnceClosed() throws InterruptedException {
        FakeChild child = new FakeChild();
        SupervisedChild supervisor = child.supervise(FAST);
        supervisor.watch();
        supervisor.close();
        supervisor.awaitClosed(Duration.ofSeconds(5));
        child.alive.set(false);
        Thread.sleep(300);
        assertThat(child.startAttempts).isEmpty();
        assertThat(supervisor.state()).isEqualTo(SupervisedChild.State.STOPPED);
        assertThat(supervisor.watching()).isFalse();
    }

    @Test
    void aRestartUnderWayIsAbandonedWhenClosed() throws InterruptedException {
        FakeChild child = new FakeChild();
        child.failuresLeft.set(Integer.MAX_VALUE);
        SupervisedChild supervisor = child.supervise(FAST);
        supervisor.watch();
        child.alive.set(false);
        await(() -> child.startAttempts.size() >= 2);
        supervisor.close();
        supervisor.awaitClosed(Duration.ofSeconds(5));
        int attempts = child.startAttempts.size();
        Thread.sleep(500);
        assertThat(child.startAttempts).hasSize(attempts);
        assertThat(supervisor.restarts()).isZero();
        assertThat(supervisor.watching()).isFalse();
    }

    @Test
    void disabledSupervisionWatchesNothing() throws InterruptedException {
        FakeChild child = new FakeChild();
        try (SupervisedChild supervisor = child.supervise(new ChatStackProperties.Supervision(false,
                Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)))) {
            supervisor.watch();
            child.alive.set(false);
            Thread.sleep(200);
            assertThat(child.startAttempts).isEmpty();
            assertThat(supervisor.watching()).isFalse();
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
