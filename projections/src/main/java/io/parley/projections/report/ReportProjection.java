package io.parley.projections.report;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import io.parley.api.report.ReportEvents.ReportFiled;
import io.parley.api.report.ReportEvents.ReportResolved;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** The {@code reports} read model for the admins' list; every update an idempotent {@code $set} upsert. */
@Component
@ProcessingGroup(ReportProjection.PROCESSING_GROUP)
public class ReportProjection {
    public static final String PROCESSING_GROUP = "report-views";

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final MongoCollection<ReportDocument> reports;

    public ReportProjection(MongoDatabase database) {
        this.reports = ReportCodec.collection(database);
    }

    @EventHandler
    void on(ReportFiled event) {
        reports.updateOne(Filters.eq("_id", event.reportId()), ReportCodec.filed(event), UPSERT);
    }

    @EventHandler
    void on(ReportResolved event) {
        reports.updateOne(Filters.eq("_id", event.reportId()), ReportCodec.resolved(event), UPSERT);
    }

    @ResetHandler
    void reset() {
        reports.deleteMany(new Document());
    }
}
