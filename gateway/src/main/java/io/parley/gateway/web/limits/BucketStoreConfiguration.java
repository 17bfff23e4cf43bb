package io.parley.gateway.web.limits;

import io.parley.command.media.UploadBuckets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** Chooses the {@link BucketStore} after {@code chat.limits.store}. */
@Configuration
class BucketStoreConfiguration {

    @Bean
    BucketStore bucketStore(RateLimitProperties properties, ObjectProvider<DataSource> dataSource) {
        return properties.store() == RateLimitProperties.Store.POSTGRES
                ? new PostgresBuckets(dataSource.getObject(), properties)
                : new MemoryBuckets();
    }

    /**
     * Upload counts and daily byte quotas in the same shared table as the other buckets, so every node charges
     * the same quota (each upload is one or two round trips: rare next to sends, and never on the hot path).
     */
    @Bean
    @ConditionalOnProperty(name = "chat.limits.store", havingValue = "postgres")
    UploadBuckets sharedUploadBuckets(BucketStore bucketStore) {
        return (key, configuration) -> bucketStore.bucket(key, configuration, false);
    }
}
