package io.parley.query.presence;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.conversions.Bson;

import java.util.Date;

/** The stored shape of {@link LastSeen} (the only code naming its fields): {@code _id} and {@code lastSeenAt}. */
final class LastSeenCodec implements Codec<LastSeen> {
    static final String COLLECTION = "presence";

    private final DocumentCodec documents = new DocumentCodec();

    static MongoCollection<LastSeen> collection(MongoDatabase database) {
        return database.getCollection(COLLECTION, LastSeen.class).withCodecRegistry(CodecRegistries
                .fromRegistries(CodecRegistries.fromCodecs(new LastSeenCodec()), database.getCodecRegistry()));
    }

    static Bson byUser(String userId) {
        return Filters.eq("_id", userId);
    }

    @Override
    public Class<LastSeen> getEncoderClass() {
        return LastSeen.class;
    }

    @Override
    public void encode(BsonWriter writer, LastSeen lastSeen, EncoderContext context) {
        documents.encode(writer, new Document("_id", lastSeen.userId())
                .append("lastSeenAt", lastSeen.at() == null ? null : Date.from(lastSeen.at())), context);
    }

    @Override
    public LastSeen decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Date at = doc.getDate("lastSeenAt");
        return new LastSeen(doc.getString("_id"), at == null ? null : at.toInstant());
    }
}
