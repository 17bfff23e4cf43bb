package io.parley.projections.media;

import io.parley.projections.replay.CollectionRebuild;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Rebuilds media metadata and who may read it; upload waiters are answered by the live projection only (the
 * rebuilding instance's emitter has no subscribers).
 */
@Component
class MediaAccessRebuild extends CollectionRebuild {

    MediaAccessRebuild() {
        super(MediaProjection.PROCESSING_GROUP,
                target -> new MediaProjection(target, SimpleQueryUpdateEmitter.builder().build()),
                Set.of(MediaCodec.COLLECTION, MediaConversationCodec.COLLECTION));
    }
}
