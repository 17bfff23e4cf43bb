package io.parley.api.report;

import org.axonframework.serialization.Revision;

import java.time.Instant;

public final class ReportEvents {
    private ReportEvents() {
    }

    /** {@code seq} and {@code userId} are null when the report is not about one message or one person. */
    @Revision("1")
    public record ReportFiled(String reportId, String reporterId, String conversationId, Long seq, String userId,
                              String reason, Instant filedAt) {
    }

    /** {@code note} is null when the admin left none. */
    @Revision("1")
    public record ReportResolved(String reportId, String resolvedBy, String note, Instant resolvedAt) {
    }
}
