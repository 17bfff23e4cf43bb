package io.parley.projections.media;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.replay.Rebuildable;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Rebuilds media metadata and who may read it into another database; upload waiters are answered by the live
 * projection only (the rebuilding instance's emitter has no subscribers).
 */
@Component
class MediaAccessRebuild implements Rebuildable {

    @Override
    public String processingGroup() {
        return MediaProjection.PROCESSING_GROUP;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        MediaProjection projection = new MediaProjection(target, SimpleQueryUpdateEmitter.builder().build());
        return new Rebuild() {
            @Override
            public Object eventHandler() {
                return projection;
            }

            @Override
            public Set<String> replacedCollections() {
                return Set.of(MediaCodec.COLLECTION, MediaConversationCodec.COLLECTION);
            }
        };
    }
}
