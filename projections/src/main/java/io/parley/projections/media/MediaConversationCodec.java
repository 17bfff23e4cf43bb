package io.parley.projections.media;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored shape of {@link MediaConversation} (the only code naming its fields): {@code _id} and
 * {@code members.<accountId>}; and the idempotent updates that write them.
 */
final class MediaConversationCodec implements Codec<MediaConversation> {
    static final String COLLECTION = "media-conversations";

    private final DocumentCodec documents = new DocumentCodec();

    @Override
    public Class<MediaConversation> getEncoderClass() {
        return MediaConversation.class;
    }

    @Override
    public void encode(BsonWriter writer, MediaConversation conversation, EncoderContext context) {
        documents.encode(writer, new Document("_id", conversation.id())
                .append("members", new Document(new LinkedHashMap<>(conversation.members()))), context);
    }

    @Override
    public MediaConversation decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Map<String, Long> members = new LinkedHashMap<>();
        Document stored = doc.get("members", Document.class);
        if (stored != null) {
            stored.forEach((accountId, seq) -> members.put(accountId, ((Number) seq).longValue()));
        }
        return new MediaConversation(doc.getString("_id"), members);
    }

    /** The founding members, each a member from seq 0. */
    static Bson founded(List<String> memberIds) {
        return Updates.combine(memberIds.stream().map(m -> Updates.set("members." + m, 0L)).toList());
    }

    static Bson joined(String memberId, long seq) {
        return Updates.set("members." + memberId, seq);
    }

    static Bson left(String memberId) {
        return Updates.unset("members." + memberId);
    }

    /** Reads only one account's entry: a large group's member map is not shipped for one access check. */
    static Bson onlyMember(String memberId) {
        return Projections.include("members." + memberId);
    }
}
