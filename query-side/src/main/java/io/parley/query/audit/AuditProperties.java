package io.parley.query.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The auditors' read API ({@code chat.audit.*}).
 *
 * @param chunkSize rows read from the event store per query (pages, export and state rebuild hold one chunk)
 * @param scanLimit rows one {@code /api/audit/events} request reads at most while filling a page by
 *                  {@code userId}; past it the page is answered as far as it got, with a cursor to go on
 */
@ConfigurationProperties("chat.audit")
public record AuditProperties(@DefaultValue("500") int chunkSize, @DefaultValue("50000") int scanLimit) {

    public AuditProperties {
        if (chunkSize < 1 || scanLimit < chunkSize) {
            throw new IllegalArgumentException("chat.audit.chunk-size must be at least 1 and scan-limit at least chunk-size");
        }
    }
}
