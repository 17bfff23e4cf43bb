package io.parley.query.report;

import io.parley.api.report.ReportQueries.ReportStatus;
import io.parley.api.report.ReportQueries.ReportView;
import io.parley.api.report.ReportQueries.ReportsQuery;
import io.parley.projections.report.ReportDocument;
import io.parley.projections.report.ReportViews;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;

/** Answers the admins' report list from the {@code reports} read model. */
@Component
class ReportQueryHandler {
    private final ReportViews reports;

    ReportQueryHandler(ReportViews reports) {
        this.reports = reports;
    }

    @QueryHandler
    List<ReportView> handle(ReportsQuery query) {
        Boolean resolved = query.status() == null ? null : query.status() == ReportStatus.RESOLVED;
        return reports.reports(resolved).stream().map(ReportQueryHandler::view).toList();
    }

    private static ReportView view(ReportDocument doc) {
        return new ReportView(doc.id(), doc.reporterId(), doc.conversationId(), doc.seq(), doc.userId(), doc.reason(),
                doc.resolved() ? ReportStatus.RESOLVED : ReportStatus.OPEN, doc.filedAt(), doc.resolvedAt(),
                doc.resolvedBy(), doc.note());
    }
}
