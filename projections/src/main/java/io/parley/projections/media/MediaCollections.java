package io.parley.projections.media;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.configuration.CodecRegistry;

/**
 * The two media read models as typed collections, each with its one codec: {@value MediaCodec#COLLECTION}
 * ({@link MediaDocument}) and {@value MediaConversationCodec#COLLECTION} ({@link MediaConversation}). Only
 * {@link MediaProjection} writes them; everyone else reads them through {@link MediaViews}.
 */
final class MediaCollections {
    private final MongoCollection<MediaDocument> media;
    private final MongoCollection<MediaConversation> conversations;

    MediaCollections(MongoDatabase database) {
        CodecRegistry codecs = CodecRegistries.fromRegistries(
                CodecRegistries.fromCodecs(new MediaCodec(), new MediaConversationCodec()), database.getCodecRegistry());
        this.media = database.getCollection(MediaCodec.COLLECTION, MediaDocument.class).withCodecRegistry(codecs);
        this.conversations = database.getCollection(MediaConversationCodec.COLLECTION, MediaConversation.class)
                .withCodecRegistry(codecs);
    }

    MongoCollection<MediaDocument> media() {
        return media;
    }

    MongoCollection<MediaConversation> conversations() {
        return conversations;
    }
}
