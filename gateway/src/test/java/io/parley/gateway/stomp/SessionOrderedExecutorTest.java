package io.parley.gateway.stomp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHandlingRunnable;
import org.springframework.messaging.MessageHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SessionOrderedExecutorTest {

    private final List<String> cut = Collections.synchronizedList(new ArrayList<>());
    private final SessionOrderedExecutor executor = new SessionOrderedExecutor(4, Executors.defaultThreadFactory(),
            new SessionOrderedExecutor.Limits(10_000, Duration.ofMillis(1_500)), cut::add);

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    private static Message<byte[]> frame(String session, int bytes) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setSessionId(session);
        return MessageBuilder.createMessage(new byte[bytes], headers.getMessageHeaders());
    }

    private static MessageHandlingRunnable send(String session, Runnable work) {
        return send(session, 0, work);
    }

    /** What Spring's channel hands its executor: a runnable that knows its message. */
    private static MessageHandlingRunnable send(String session, int bytes, Runnable work) {
        Message<byte[]> message = frame(session, bytes);
        return new MessageHandlingRunnable() {
            @Override
            public Message<?> getMessage() {
                return message;
            }

            @Override
            public MessageHandler getMessageHandler() {
                return m -> work.run();
            }

            @Override
            public void run() {
                work.run();
            }
        };
    }

    @Test
    void eachSessionReceivesItsFramesInPublishOrderWhileSessionsRunSideBySide() throws Exception {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(20 * 500);
        for (int i = 0; i < 500; i++) {
            for (int s = 0; s < 20; s++) {
                String session = "s" + s;
                int n = i;
                executor.execute(send(session, () -> {
                    seen.computeIfAbsent(session, k -> Collections.synchronizedList(new ArrayList<>())).add(n);
                    done.countDown();
                }));
            }
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        seen.values().forEach(list -> assertThat(list).isSorted().hasSize(500));
        // the last task counts down before its lane sees itself empty and leaves: wait for that, briefly
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (executor.activeLanes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(executor.activeLanes()).as("lanes go when empty").isZero();
    }

    @Test
    void aStalledSessionHoldsOnlyItsOwnLane() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch others = new CountDownLatch(3 * 10);
        executor.execute(send("slow", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        List<String> slowAfter = Collections.synchronizedList(new ArrayList<>());
        executor.execute(send("slow", () -> slowAfter.add("second")));
        for (int i = 0; i < 10; i++) {
            for (String s : List.of("a", "b", "c")) {
                executor.execute(send(s, others::countDown));
            }
        }
        assertThat(others.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(slowAfter).as("the stalled session's next frame waits for its first").isEmpty();
        release.countDown();
        Thread.sleep(200);
        assertThat(slowAfter).containsExactly("second");
    }

    @Test
    void aFailingFrameDoesNotStopItsSession() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        executor.execute(send("s", () -> {
            throw new IllegalStateException("socket closed");
        }));
        executor.execute(send("s", next::countDown));
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    private static Runnable blockUntil(CountDownLatch release) {
        return () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void moreStalledSessionsThanThreadsStillLeaveRoomForTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 6; i++) {
            executor.execute(send("stalled" + i, blockUntil(release)));
        }
        Thread.sleep(SessionOrderedExecutor.STALL_MS + 50);
        executor.watch();
        assertThat(executor.poolSize()).as("the four writes hanging lend four threads").isEqualTo(4 + 4);
        // the two lanes that were waiting now hang in writes on the lent threads
        Thread.sleep(SessionOrderedExecutor.STALL_MS + 50);
        executor.watch();
        assertThat(executor.poolSize()).as("a thread lent per stalled write").isEqualTo(4 + 6);
        CountDownLatch others = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            executor.execute(send("healthy" + i, others::countDown));
        }
        assertThat(others.await(5, TimeUnit.SECONDS)).as("healthy sessions served while six writes hang").isTrue();
        release.countDown();
        Thread.sleep(100);
        executor.watch();
        assertThat(executor.poolSize()).as("lent threads given back").isEqualTo(4);
        assertThat(cut).isEmpty();
    }

    @Test
    void framesPilingUpPastTheBufferLimitCutTheSessionOffAndAreDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        executor.execute(send("slow", 100, blockUntil(release)));
        for (int i = 0; i < 5; i++) {
            int n = i;
            executor.execute(send("slow", 3_000, () -> written.add(n)));
        }
        assertThat(cut).as("9,000 bytes waiting fit, 12,000 do not").containsExactly("slow");
        executor.execute(send("slow", 10, () -> written.add(99)));
        release.countDown();
        Thread.sleep(200);
        assertThat(written).as("nothing more is written to a session cut off").isEmpty();
        assertThat(cut).containsExactly("slow");

        executor.forget("slow");
        CountDownLatch again = new CountDownLatch(1);
        executor.execute(send("slow", 10, again::countDown));
        assertThat(again.await(5, TimeUnit.SECONDS)).as("a session id forgotten is served again").isTrue();
    }

    @Test
    void aWriteLastingPastTheSendTimeLimitCutsTheSessionOff() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(send("hung", blockUntil(release)));
        List<String> after = Collections.synchronizedList(new ArrayList<>());
        executor.execute(send("hung", () -> after.add("queued")));
        executor.watch();
        assertThat(cut).isEmpty();
        Thread.sleep(1_600);
        executor.watch();
        assertThat(cut).containsExactly("hung");
        executor.execute(send("hung", () -> after.add("later")));
        release.countDown();
        Thread.sleep(200);
        assertThat(after).isEmpty();
        executor.watch();
        assertThat(cut).as("told once").containsExactly("hung");
    }
}
