package io.parley.gateway.web.limits;

import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chat.limits.store=postgres}: two RateLimits, as two nodes would hold them, on the platform's PostgreSQL
 * share each account's and each address's bucket. Also measures what one send costs there.
 */
class SharedRateLimitsIT extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    private static RateLimitProperties shared(long perSecond, long burst, long signUps, long syncEvery) {
        return new RateLimitProperties(perSecond, burst, signUps, Duration.ofHours(1), 1000,
                RateLimitProperties.Store.POSTGRES, syncEvery, Duration.ofSeconds(1));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void twoNodesShareOneAccountsSendBucket() {
        RateLimitProperties properties = shared(1, 10, 300, 0);
        try (PostgresBuckets storeA = new PostgresBuckets(dataSource, properties);
             PostgresBuckets storeB = new PostgresBuckets(dataSource, properties)) {
            RateLimits nodeA = new RateLimits(properties, storeA);
            RateLimits nodeB = new RateLimits(properties, storeB);
            String account = id();
            for (int i = 0; i < 6; i++) {
                assertThat(nodeA.send(account)).as("node A, send " + i).isZero();
            }
            for (int i = 0; i < 4; i++) {
                assertThat(nodeB.send(account)).as("node B, send " + i).isZero();
            }
            assertThat(nodeA.send(account)).as("the burst of 10 is spent, whichever node").isPositive();
            assertThat(nodeB.send(account)).isPositive();
            assertThat(nodeB.send(id())).as("another account has its own bucket").isZero();
        }
    }

    @Test
    void withDelayedSyncEachNodeOvershootsByAtMostSyncEvery() {
        long burst = 20;
        long syncEvery = 5;
        RateLimitProperties properties = shared(1, burst, 300, syncEvery);
        try (PostgresBuckets storeA = new PostgresBuckets(dataSource, properties);
             PostgresBuckets storeB = new PostgresBuckets(dataSource, properties)) {
            RateLimits nodeA = new RateLimits(properties, storeA);
            RateLimits nodeB = new RateLimits(properties, storeB);
            String account = id();
            int admitted = 0;
            for (int i = 0; i < 60; i++) {
                RateLimits node = i % 2 == 0 ? nodeA : nodeB;
                if (node.send(account).isZero()) {
                    admitted++;
                }
            }
            // without sharing, two nodes would let 2 x 20 through; refill adds at most a few within the loop
            assertThat(admitted).isGreaterThanOrEqualTo((int) burst)
                    .isLessThanOrEqualTo((int) (burst + 2 * syncEvery + 2));
        }
    }

    @Test
    void twoNodesShareOneAddressesSignUps() {
        RateLimitProperties properties = shared(50, 100, 3, 10);
        try (PostgresBuckets storeA = new PostgresBuckets(dataSource, properties);
             PostgresBuckets storeB = new PostgresBuckets(dataSource, properties)) {
            RateLimits nodeA = new RateLimits(properties, storeA);
            RateLimits nodeB = new RateLimits(properties, storeB);
            String unique = "198.51.100.7/" + id(); // an address of its own, whatever other tests ran
            assertThat(nodeA.signUp(unique)).isZero();
            assertThat(nodeB.signUp(unique)).isZero();
            assertThat(nodeA.signUp(unique)).isZero();
            assertThat(nodeB.signUp(unique)).isGreaterThan(Duration.ofMinutes(19));
            assertThat(nodeA.signUp(unique)).isPositive();
        }
    }

    /** Prints what one send costs in each store (README, "Reliability and security"); asserts only sanity. */
    @Test
    void measuresTheCostOfOneSend() {
        int n = 2000;
        RateLimitProperties exact = shared(1_000_000, 1_000_000, 300, 0);
        RateLimitProperties delayed = shared(1_000_000, 1_000_000, 300, 10);
        try (PostgresBuckets exactStore = new PostgresBuckets(dataSource, exact);
             PostgresBuckets delayedStore = new PostgresBuckets(dataSource, delayed)) {
            // each measured after its own warm-up; the memory store last, when the code common to all is hot
            double exactMicros = perSend(new RateLimits(exact, exactStore), n);
            double delayedMicros = perSend(new RateLimits(delayed, delayedStore), n);
            double memoryMicros = perSend(new RateLimits(RateLimitProperties.inMemory(1_000_000, 1_000_000, 300,
                    Duration.ofHours(1), 1000)), n);
            System.out.println(String.format(Locale.ROOT, "[rate limits] one send, mean of %d on one account:"
                            + " memory %.1f us, postgres sync-every=0 %.1f us, postgres sync-every=10 %.1f us",
                    n, memoryMicros, exactMicros, delayedMicros));
            assertThat(delayedMicros).isLessThan(exactMicros);
        }
    }

    private static double perSend(RateLimits limits, int n) {
        String account = id();
        for (int i = 0; i < 1000; i++) {
            limits.send(account); // warm-up: JIT, the pool's connections, the row
        }
        long t0 = System.nanoTime();
        int refused = 0;
        for (int i = 0; i < n; i++) {
            if (!limits.send(account).isZero()) {
                refused++;
            }
        }
        double micros = (System.nanoTime() - t0) / 1000.0 / n;
        assertThat(refused).as("a million a second refuses none").isZero();
        return micros;
    }
}
