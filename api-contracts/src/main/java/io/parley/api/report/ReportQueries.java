package io.parley.api.report;

import java.time.Instant;

public final class ReportQueries {
    private ReportQueries() {
    }

    public enum ReportStatus { OPEN, RESOLVED }

    /** Every report, the newest first; {@code status} null for all. Answered as {@code List<ReportView>}. */
    public record ReportsQuery(ReportStatus status) {
    }

    public record ReportView(String id, String reporterId, String conversationId, Long seq, String userId,
                             String reason, ReportStatus status, Instant filedAt, Instant resolvedAt,
                             String resolvedBy, String note) {
    }
}
