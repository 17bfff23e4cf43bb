package io.parley.projections.report;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed reads of the {@code reports} read model. */
@Component
public class ReportViews {
    /** The admins' list is a work queue, not an archive: one page of the newest. */
    public static final int MAX_LISTED = 1000;

    private final MongoCollection<ReportDocument> reports;

    public ReportViews(MongoDatabase database) {
        this.reports = ReportCodec.collection(database);
    }

    public Optional<ReportDocument> report(String id) {
        return Optional.ofNullable(reports.find(Filters.eq("_id", id)).first());
    }

    /** The newest {@value #MAX_LISTED} reports first; {@code resolved} null for both kinds. */
    public List<ReportDocument> reports(Boolean resolved) {
        Bson filter = resolved == null ? new Document() : ReportCodec.resolved(resolved.booleanValue());
        List<ReportDocument> found = new ArrayList<>();
        reports.find(filter).sort(ReportCodec.newestFirst()).limit(MAX_LISTED).forEach(found::add);
        return found;
    }
}
