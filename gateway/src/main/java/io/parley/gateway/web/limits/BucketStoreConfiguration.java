package io.parley.gateway.web.limits;

import org.springframework.beans.factory.ObjectProvider;
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
}
