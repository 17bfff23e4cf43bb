package io.parley.command.media.storage;

import com.mongodb.client.MongoDatabase;
import io.parley.command.media.MediaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;

/** Chooses the blob store driver from {@code chat.media.store}. */
@Configuration
@EnableConfigurationProperties(MediaProperties.class)
class BlobStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BlobStoreConfiguration.class);

    @Bean
    MediaStores mediaStores(MediaProperties properties, @Value("${chat.data-dir:./data}") Path dataDir,
                            ObjectProvider<MongoDatabase> mongo) throws IOException {
        Path media = dataDir.resolve("media");
        MediaStores stores = switch (properties.store()) {
            case LOCAL -> new MediaStores(new LocalBlobStore(media.resolve("blobs")),
                    new LocalBlobStore(media.resolve("thumbnails")));
            // GridFS content still passes through a local temporary file: it is hashed and inspected before
            // anything is written to the database
            case GRIDFS -> new MediaStores(
                    new GridFsBlobStore(mongo.getObject(), "media", media.resolve("staging")),
                    new GridFsBlobStore(mongo.getObject(), "media-thumbnails", media.resolve("staging")));
        };
        log.info("Media blob store: {} ({})", stores.blobs().driver(),
                properties.store() == MediaProperties.Store.LOCAL ? media.toAbsolutePath() : "GridFS buckets media, media-thumbnails");
        return stores;
    }
}
