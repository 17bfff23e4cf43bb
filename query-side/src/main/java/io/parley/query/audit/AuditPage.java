package io.parley.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A page of {@code /api/audit/events}. {@code nextCursor} is null only when the store holds nothing further that
 * could match; a page with fewer than {@code limit} events and a cursor means the scan budget
 * ({@code chat.audit.scan-limit}) ran out before the page filled (a rare {@code userId} among many events).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditPage(List<AuditEntry> events, String nextCursor) {
}
