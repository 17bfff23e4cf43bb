package io.parley.projections.media;

import com.mongodb.client.model.Updates;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.privacy.PersonalDataCipher;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored shape of {@link MediaDocument} (the only code naming its fields): {@code _id}, the upload's
 * {@code uploaderId}, {@code sha256}, {@code size}, {@code contentType}, {@code kind}, {@code originalName},
 * {@code width} and {@code height} (images and videos), {@code hasThumbnail}, {@code durationMillis} (audio and
 * video), {@code uploadedAt}, and
 * {@code sentIn.<conversationId>}; and the idempotent updates that write them.
 */
final class MediaCodec implements Codec<MediaDocument> {
    static final String COLLECTION = "media";

    private final DocumentCodec documents = new DocumentCodec();

    @Override
    public Class<MediaDocument> getEncoderClass() {
        return MediaDocument.class;
    }

    @Override
    public void encode(BsonWriter writer, MediaDocument media, EncoderContext context) {
        Document doc = new Document("_id", media.id());
        MediaDocument.Upload upload = media.upload();
        if (upload != null) {
            doc.append("uploaderId", upload.uploaderId()).append("sha256", upload.sha256())
                    .append("size", upload.size()).append("contentType", upload.contentType())
                    .append("kind", upload.kind().name()).append("originalName", upload.originalName())
                    .append("hasThumbnail", upload.hasThumbnail());
            if (upload.width() != null) {
                doc.append("width", upload.width()).append("height", upload.height());
            }
            if (upload.durationMillis() != null) {
                doc.append("durationMillis", upload.durationMillis());
            }
            doc.append("uploadedAt", upload.uploadedAt() == null ? null : Date.from(upload.uploadedAt()));
        }
        if (!media.sentIn().isEmpty()) {
            doc.append("sentIn", new Document(new LinkedHashMap<>(media.sentIn())));
        }
        documents.encode(writer, doc, context);
    }

    @Override
    public MediaDocument decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Map<String, Long> sentIn = new LinkedHashMap<>();
        Document stored = doc.get("sentIn", Document.class);
        if (stored != null) {
            stored.forEach((conversationId, seq) -> sentIn.put(conversationId, ((Number) seq).longValue()));
        }
        MediaDocument.Upload upload = null;
        if (doc.getString("sha256") != null) {
            Date uploadedAt = doc.getDate("uploadedAt");
            upload = new MediaDocument.Upload(doc.getString("uploaderId"), doc.getString("sha256"),
                    ((Number) doc.get("size")).longValue(), doc.getString("contentType"),
                    MediaKind.valueOf(doc.getString("kind")), doc.getString("originalName"), integer(doc, "width"),
                    integer(doc, "height"), Boolean.TRUE.equals(doc.getBoolean("hasThumbnail")),
                    longOrNull(doc, "durationMillis"), uploadedAt == null ? null : uploadedAt.toInstant());
        }
        return new MediaDocument(doc.getString("_id"), upload, sentIn);
    }

    /** The upload's metadata and time, all {@code $set}: the same event applied again writes the same values. */
    static Bson nameErased() {
        return Updates.set("originalName", PersonalDataCipher.ERASED);
    }

    static Bson uploaded(MediaUploaded event) {
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("uploaderId", event.uploaderId()),
                Updates.set("sha256", event.sha256()),
                Updates.set("size", event.size()),
                Updates.set("contentType", event.contentType()),
                Updates.set("kind", event.kind().name()),
                Updates.set("originalName", event.originalName()),
                Updates.set("hasThumbnail", event.hasThumbnail())));
        if (event.width() != null) {
            sets.add(Updates.set("width", event.width()));
            sets.add(Updates.set("height", event.height()));
        }
        if (event.durationMillis() != null) {
            sets.add(Updates.set("durationMillis", event.durationMillis()));
        }
        sets.add(Updates.set("uploadedAt", Date.from(event.uploadedAt())));
        return Updates.combine(sets);
    }

    /** {@code $max}: a send replayed, or seen out of order, never lowers the seq. */
    static Bson sent(String conversationId, long seq) {
        return Updates.max("sentIn." + conversationId, seq);
    }

    private static Long longOrNull(Document doc, String field) {
        Object value = doc.get(field);
        return value == null ? null : ((Number) value).longValue();
    }

    private static Integer integer(Document doc, String field) {
        Object value = doc.get(field);
        return value == null ? null : ((Number) value).intValue();
    }
}
