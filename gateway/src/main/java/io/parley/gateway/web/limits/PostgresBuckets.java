package io.parley.gateway.web.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Buckets in the write side's PostgreSQL, shared by every node (Bucket4j's PostgreSQL integration: one row per
 * key, {@code SELECT ... FOR UPDATE} in a short transaction per sync). The table is {@code UNLOGGED}: a bucket
 * write is no WAL record and its commit waits for no disk flush (buckets are ephemeral; after a PostgreSQL
 * crash the table is empty and every bucket starts full, as after a restart of the memory store). Rows expire
 * once their bucket would be full again (plus a minute), and a cleaner removes expired rows every minute.
 * Hot buckets (sends) use Bucket4j's delaying optimization: a node takes up to {@code sync-every} sends from its
 * local copy before it writes them, so a send rarely waits for a round trip (README, "Reliability and security").
 * Time is each node's clock: nodes must keep their clocks in sync (NTP), as for token expiry.
 */
final class PostgresBuckets implements BucketStore {

    static final String TABLE = "rate_limit_buckets";
    private static final Logger log = LoggerFactory.getLogger(PostgresBuckets.class);
    private static final int CLEAN_BATCH = 1000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;
    private final long syncEvery;
    private final Duration syncInterval;
    private final ScheduledExecutorService cleaner;

    PostgresBuckets(DataSource dataSource, RateLimitProperties properties) {
        new JdbcTemplate(dataSource).execute("CREATE UNLOGGED TABLE IF NOT EXISTS " + TABLE
                + " (id TEXT PRIMARY KEY, state BYTEA, expires_at BIGINT)");
        this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(1)))
                .build();
        this.syncEvery = properties.syncEvery();
        this.syncInterval = properties.syncInterval();
        this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rate-limit-cleaner");
            t.setDaemon(true);
            return t;
        });
        cleaner.scheduleWithFixedDelay(this::removeExpired, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration, boolean hot) {
        RemoteBucketBuilder<String> builder = proxies.builder();
        if (hot && syncEvery > 0) {
            builder = builder.withOptimization(Optimizations.delaying(new DelayParameters(syncEvery, syncInterval)));
        }
        return builder.build(key, () -> configuration);
    }

    /** @return rows removed */
    int removeExpired() {
        int total = 0;
        try {
            int removed;
            do {
                removed = proxies.removeExpired(CLEAN_BATCH);
                total += removed;
            } while (removed == CLEAN_BATCH);
        } catch (RuntimeException e) {
            // the next run tries again; a failing database is reported by health, not here
            log.debug("Could not remove expired rate limit buckets", e);
        }
        return total;
    }

    @Override
    public void close() {
        cleaner.shutdownNow();
    }
}
