package io.parley.gateway.web.analytics;

import io.parley.query.analytics.ProcessorLag;
import io.parley.gateway.web.Problems;
import io.parley.projections.search.MessageSearchProjection;
import io.parley.query.analytics.MessageAnalytics;
import io.parley.query.analytics.MessageAnalytics.ConversationVolume;
import io.parley.query.analytics.MessageAnalytics.Percentiles;
import io.parley.query.analytics.MessageAnalytics.TypeShare;
import io.parley.query.analytics.MessageAnalytics.VolumeBucket;
import io.parley.query.search.InvalidSearchException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The analyst's API (role ANALYST only). Every answer states the range it covers ({@code [from, to)}, default
 * the last 24 hours) and how fresh the projected view is: {@code lagMs} and {@code lagEvents} of the
 * {@code message-search} processor, and {@code asOf} (when that was measured).
 */
@RestController
@RequestMapping("/api/analytics")
@PreAuthorize("hasRole('ANALYST')")
@Tag(name = "analytics")
class AnalyticsController {

    private static final Duration DEFAULT_RANGE = Duration.ofDays(1);

    private final MessageAnalytics analytics;
    private final ProcessorLag lag;
    private final Clock clock;

    AnalyticsController(MessageAnalytics analytics, ProcessorLag lag, Clock clock) {
        this.analytics = analytics;
        this.lag = lag;
        this.clock = clock;
    }

    record Volume(Instant from, Instant to, String interval, long lagMs, long lagEvents, Instant asOf,
                  List<VolumeBucket> buckets) {
    }

    record Top(Instant from, Instant to, long lagMs, long lagEvents, Instant asOf,
               List<ConversationVolume> conversations) {
    }

    record Mix(Instant from, Instant to, long lagMs, long lagEvents, Instant asOf, long messages,
               List<TypeShare> types) {
    }

    record Latency(Instant from, Instant to, long lagMs, long lagEvents, Instant asOf, Percentiles deliveredMs,
                   Percentiles readMs) {
    }

    private record Range(Instant from, Instant to) {
    }

    @GetMapping("/volume")
    @Operation(summary = "Messages and active senders per interval (30s, 15m, 1h, 1d)")
    Volume volume(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(defaultValue = "1h") String interval) {
        Range range = range(from, to);
        ProcessorLag.Lag freshness = freshness();
        return new Volume(range.from(), range.to(), interval, freshness.ms(), freshness.events(),
                freshness.measuredAt(), analytics.volume(range.from(), range.to(), interval));
    }

    @GetMapping("/conversations/top")
    @Operation(summary = "Conversations with the most messages in the range")
    Top top(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "10") int limit) {
        if (limit < 1 || limit > 100) {
            throw new InvalidSearchException("invalid-parameter", "limit must be between 1 and 100");
        }
        Range range = range(from, to);
        ProcessorLag.Lag freshness = freshness();
        return new Top(range.from(), range.to(), freshness.ms(), freshness.events(), freshness.measuredAt(),
                analytics.topConversations(range.from(), range.to(), limit));
    }

    @GetMapping("/media-mix")
    @Operation(summary = "Messages per type (TEXT, IMAGE, VIDEO, DOCUMENT), their share and media bytes")
    Mix mediaMix(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Range range = range(from, to);
        ProcessorLag.Lag freshness = freshness();
        MessageAnalytics.MediaMix mix = analytics.mediaMix(range.from(), range.to());
        return new Mix(range.from(), range.to(), freshness.ms(), freshness.events(), freshness.measuredAt(),
                mix.messages(), mix.types());
    }

    @GetMapping("/receipt-latency")
    @Operation(summary = "Percentiles of the time from sent to first delivered and to first read")
    Latency receiptLatency(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Range range = range(from, to);
        ProcessorLag.Lag freshness = freshness();
        MessageAnalytics.ReceiptLatency latency = analytics.receiptLatency(range.from(), range.to());
        return new Latency(range.from(), range.to(), freshness.ms(), freshness.events(), freshness.measuredAt(),
                latency.deliveredMs(), latency.readMs());
    }

    @ExceptionHandler(InvalidSearchException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidSearchException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage()));
    }

    private ProcessorLag.Lag freshness() {
        return lag.of(MessageSearchProjection.PROCESSING_GROUP);
    }

    private Range range(String from, String to) {
        Instant end = to == null || to.isBlank() ? clock.instant() : parse("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_RANGE) : parse("from", from);
        if (!start.isBefore(end)) {
            throw new InvalidSearchException("invalid-range", "'from' must be before 'to'");
        }
        return new Range(start, end);
    }

    private static Instant parse(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidSearchException("invalid-parameter", "'" + name + "' must be an ISO-8601 instant");
        }
    }
}
