package io.parley.projections.report;

import com.mongodb.client.MongoDatabase;
import io.parley.api.report.ReportEvents.ReportFiled;
import io.parley.api.report.ReportEvents.ReportResolved;
import io.parley.projections.support.InMemoryMongo;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The reports list, each event applied twice (as a redelivery would), and its stored shape. */
class ReportProjectionTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private MongoDatabase database;
    private ReportProjection projection;
    private ReportViews views;

    @BeforeEach
    void setUp() {
        database = mongo.client().getDatabase("reports-test");
        database.drop();
        projection = new ReportProjection(database);
        views = new ReportViews(database);
    }

    @Test
    void filedReportsAreOpenNewestFirstAndAResolutionClosesOne() {
        ReportFiled first = new ReportFiled("r1", "u1", "c1", 3L, "u2", "spam", T);
        ReportFiled second = new ReportFiled("r2", "u3", "c2", null, null, "abusive group", T.plusSeconds(5));
        ReportResolved resolved = new ReportResolved("r1", "admin", "warned", T.plusSeconds(9));
        for (int i = 0; i < 2; i++) {
            projection.on(first);
            projection.on(second);
            projection.on(resolved);
        }
        assertThat(views.reports(null)).extracting(ReportDocument::id).containsExactly("r2", "r1");
        assertThat(views.reports(false)).extracting(ReportDocument::id).containsExactly("r2");
        assertThat(views.reports(true)).extracting(ReportDocument::id).containsExactly("r1");
        assertThat(views.report("r1")).contains(new ReportDocument("r1", "u1", "c1", 3L, "u2", "spam", T,
                T.plusSeconds(9), "admin", "warned"));
        assertThat(views.report("r2").orElseThrow().resolved()).isFalse();
        assertThat(views.report("r2").orElseThrow().seq()).isNull();

        // a redelivered filing after the resolution leaves the report resolved
        projection.on(first);
        assertThat(views.report("r1").orElseThrow().resolved()).isTrue();
    }

    @Test
    void theStoredShapeReadsAndWritesBack() {
        Document stored = new Document("_id", "r9").append("reporterId", "u1").append("conversationId", "c1")
                .append("seq", 7L).append("userId", null).append("reason", "spam").append("filedAt", java.util.Date.from(T))
                .append("resolvedAt", null).append("resolvedBy", null).append("note", null);
        database.getCollection(ReportCodec.COLLECTION).insertOne(stored);
        ReportDocument report = views.report("r9").orElseThrow();
        assertThat(report).isEqualTo(new ReportDocument("r9", "u1", "c1", 7L, null, "spam", T, null, null, null));
        database.getCollection(ReportCodec.COLLECTION).deleteMany(new Document());
        ReportCodec.collection(database).insertOne(report);
        assertThat(database.getCollection(ReportCodec.COLLECTION).find().first()).isEqualTo(stored);
    }
}
