package io.parley.embedded.spring;

import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.TestDirs;
import io.parley.embedded.postgres.EmbeddedPostgres;
import io.parley.embedded.process.ChildProcessLauncher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two nodes starting on one PostgreSQL: the second's start-up waits until the first is ready (or gone). */
class StartupLockIT {

    @Test
    void aSecondStartWaitsUntilTheFirstIsReadyOrGone() throws Exception {
        EmbeddedPostgres pg = new EmbeddedPostgres(TestDirs.create("startup-lock").resolve("postgres"),
                LoopbackPorts.choose(0, "test"), "parley", Duration.ofSeconds(60), Duration.ofSeconds(20),
                new ChildProcessLauncher()).start();
        try {
            String url = pg.jdbcUrl("parley");
            StartupLock first = StartupLock.acquire(url, EmbeddedPostgres.SUPERUSER, "");
            CompletableFuture<StartupLock> second = CompletableFuture.supplyAsync(() ->
                    StartupLock.acquire(url, EmbeddedPostgres.SUPERUSER, ""));
            assertThatThrownBy(() -> second.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

            first.onApplicationEvent(null);
            StartupLock next = second.get(10, TimeUnit.SECONDS);
            assertThat(first.held()).isFalse();
            assertThat(next.held()).isTrue();

            // a start that fails closes its context: the lock goes with it
            CompletableFuture<StartupLock> third = CompletableFuture.supplyAsync(() ->
                    StartupLock.acquire(url, EmbeddedPostgres.SUPERUSER, ""));
            assertThatThrownBy(() -> third.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            next.destroy();
            third.get(10, TimeUnit.SECONDS).release();
        } finally {
            pg.stop();
        }
    }
}
