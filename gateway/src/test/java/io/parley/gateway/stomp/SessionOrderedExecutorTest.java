package io.parley.gateway.stomp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHandlingRunnable;
import org.springframework.messaging.MessageHandler;

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

    private final SessionOrderedExecutor executor = new SessionOrderedExecutor(Executors.newFixedThreadPool(4));

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    private static Message<byte[]> frame(String session) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setSessionId(session);
        return MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders());
    }

    /** What Spring's channel hands its executor: a runnable that knows its message. */
    private static MessageHandlingRunnable send(String session, Runnable work) {
        Message<byte[]> message = frame(session);
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
}
