package io.parley.projections.report;

import java.time.Instant;

/**
 * One report in the {@code reports} read model ({@code _id} = report id). Open while {@code resolvedAt} is null.
 * Stored by {@link ReportCodec}.
 */
public record ReportDocument(String id, String reporterId, String conversationId, Long seq, String userId,
                             String reason, Instant filedAt, Instant resolvedAt, String resolvedBy, String note) {

    public boolean resolved() {
        return resolvedAt != null;
    }
}
