package io.parley.projections.report;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import io.parley.api.report.ReportEvents.ReportFiled;
import io.parley.api.report.ReportEvents.ReportResolved;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.Date;

/**
 * The stored shape of {@link ReportDocument} (the only code naming its fields): {@code _id}, {@code reporterId},
 * {@code conversationId}, {@code seq}, {@code userId}, {@code reason}, {@code filedAt}, {@code resolvedAt},
 * {@code resolvedBy}, {@code note}; and the idempotent {@code $set} updates that write them (filing never touches
 * the resolution fields, so the two events commute).
 */
final class ReportCodec implements Codec<ReportDocument> {
    static final String COLLECTION = "reports";

    private final DocumentCodec documents = new DocumentCodec();

    static MongoCollection<ReportDocument> collection(MongoDatabase database) {
        return database.getCollection(COLLECTION, ReportDocument.class).withCodecRegistry(CodecRegistries
                .fromRegistries(CodecRegistries.fromCodecs(new ReportCodec()), database.getCodecRegistry()));
    }

    @Override
    public Class<ReportDocument> getEncoderClass() {
        return ReportDocument.class;
    }

    @Override
    public void encode(BsonWriter writer, ReportDocument report, EncoderContext context) {
        documents.encode(writer, new Document("_id", report.id()).append("reporterId", report.reporterId())
                .append("conversationId", report.conversationId()).append("seq", report.seq())
                .append("userId", report.userId()).append("reason", report.reason())
                .append("filedAt", date(report.filedAt())).append("resolvedAt", date(report.resolvedAt()))
                .append("resolvedBy", report.resolvedBy()).append("note", report.note()), context);
    }

    @Override
    public ReportDocument decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Number seq = doc.get("seq", Number.class);
        return new ReportDocument(doc.getString("_id"), doc.getString("reporterId"), doc.getString("conversationId"),
                seq == null ? null : seq.longValue(), doc.getString("userId"), doc.getString("reason"),
                instant(doc.getDate("filedAt")), instant(doc.getDate("resolvedAt")), doc.getString("resolvedBy"),
                doc.getString("note"));
    }

    static Bson filed(ReportFiled e) {
        return Updates.combine(Updates.set("reporterId", e.reporterId()), Updates.set("conversationId", e.conversationId()),
                Updates.set("seq", e.seq()), Updates.set("userId", e.userId()), Updates.set("reason", e.reason()),
                Updates.set("filedAt", date(e.filedAt())));
    }

    static Bson resolved(ReportResolved e) {
        return Updates.combine(Updates.set("resolvedAt", date(e.resolvedAt())), Updates.set("resolvedBy", e.resolvedBy()),
                Updates.set("note", e.note()));
    }

    /** The filter of one status: open reports have no resolution time. */
    static Bson resolved(boolean resolved) {
        return resolved ? new Document("resolvedAt", new Document("$ne", null)) : new Document("resolvedAt", null);
    }

    static Bson newestFirst() {
        return new Document("filedAt", -1).append("_id", 1);
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
