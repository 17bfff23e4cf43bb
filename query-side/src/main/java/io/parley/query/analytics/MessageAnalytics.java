package io.parley.query.analytics;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.ArrayPercentilesItem;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.parley.projections.search.MessageIndex;
import io.parley.projections.search.MessageIndex.Fields;
import io.parley.query.search.InvalidSearchException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analyst's figures, all aggregations over the projected {@code messages} index (never the event store or a
 * live table), over messages sent in {@code [from, to)}. Deleted messages count: they were sent.
 * Active senders use {@code cardinality} with a precision threshold of 40,000, so they are exact below that.
 * Latency percentiles use the HDR method with 3 significant digits (error < 0.1 %), not the default t-digest,
 * which interpolates between values and so reports latencies no message had on small samples.
 */
@Component
public class MessageAnalytics {

    public static final int MAX_BUCKETS = 2_000;
    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,6})([smhd])");
    private static final int CARDINALITY_PRECISION = 40_000;

    public record VolumeBucket(Instant start, long messages, long activeSenders) {
    }

    public record ConversationVolume(String conversationId, long messages, long activeSenders) {
    }

    public record TypeShare(String type, long messages, double share, long bytes) {
    }

    public record MediaMix(long messages, List<TypeShare> types) {
    }

    public record Percentiles(Long count, Double p50, Double p90, Double p99) {
    }

    public record ReceiptLatency(Percentiles deliveredMs, Percentiles readMs) {
    }

    private final MessageIndex index;

    public MessageAnalytics(MessageIndex index) {
        this.index = index;
    }

    /** Parses {@code 30s, 15m, 1h, 1d} into a duration; anything else is a 400. */
    public static Duration interval(String text) {
        Matcher m = INTERVAL.matcher(text == null ? "" : text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new InvalidSearchException("invalid-interval", "interval must look like 30s, 15m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public List<VolumeBucket> volume(Instant from, Instant to, String intervalText) {
        Duration interval = interval(intervalText);
        if (Duration.between(from, to).dividedBy(interval) > MAX_BUCKETS) {
            throw new InvalidSearchException("too-many-buckets", "The range holds more than " + MAX_BUCKETS
                    + " intervals; choose a longer interval");
        }
        SearchResponse<Void> response = aggregate(from, to, s -> s.aggregations("volume", a -> a
                .dateHistogram(d -> d.field(Fields.SENT_AT).fixedInterval(t -> t.time(intervalText)).minDocCount(0)
                        .extendedBounds(b -> b
                                .min(FieldDateMath.of(f -> f.value((double) from.toEpochMilli())))
                                .max(FieldDateMath.of(f -> f.value((double) to.toEpochMilli() - 1)))))
                .aggregations("senders", c -> c.cardinality(card -> card.field(Fields.SENDER_ID)
                        .precisionThreshold(CARDINALITY_PRECISION)))));
        List<VolumeBucket> buckets = new ArrayList<>();
        for (DateHistogramBucket b : response.aggregations().get("volume").dateHistogram().buckets().array()) {
            buckets.add(new VolumeBucket(Instant.ofEpochMilli(b.key()), b.docCount(),
                    b.aggregations().get("senders").cardinality().value()));
        }
        return buckets;
    }

    public List<ConversationVolume> topConversations(Instant from, Instant to, int limit) {
        SearchResponse<Void> response = aggregate(from, to, s -> s.aggregations("top", a -> a
                .terms(t -> t.field(Fields.CONVERSATION_ID).size(limit))
                .aggregations("senders", c -> c.cardinality(card -> card.field(Fields.SENDER_ID)
                        .precisionThreshold(CARDINALITY_PRECISION)))));
        List<ConversationVolume> top = new ArrayList<>();
        for (StringTermsBucket b : response.aggregations().get("top").sterms().buckets().array()) {
            top.add(new ConversationVolume(b.key().stringValue(), b.docCount(),
                    b.aggregations().get("senders").cardinality().value()));
        }
        return top;
    }

    public MediaMix mediaMix(Instant from, Instant to) {
        SearchResponse<Void> response = aggregate(from, to, s -> s
                .aggregations("types", a -> a.terms(t -> t.field(Fields.TYPE).size(10))
                        .aggregations("bytes", b -> b.sum(sum -> sum.field(Fields.MEDIA_SIZE)))));
        List<StringTermsBucket> buckets = response.aggregations().get("types").sterms().buckets().array();
        long total = buckets.stream().mapToLong(StringTermsBucket::docCount).sum();
        List<TypeShare> types = new ArrayList<>();
        for (StringTermsBucket b : buckets) {
            types.add(new TypeShare(b.key().stringValue(), b.docCount(),
                    total == 0 ? 0 : (double) b.docCount() / total,
                    (long) b.aggregations().get("bytes").sum().value()));
        }
        return new MediaMix(total, types);
    }

    public ReceiptLatency receiptLatency(Instant from, Instant to) {
        SearchResponse<Void> response = aggregate(from, to, s -> s
                .aggregations("delivered", percentiles(Fields.DELIVERED_MS))
                .aggregations("deliveredCount", a -> a.valueCount(v -> v.field(Fields.DELIVERED_MS)))
                .aggregations("read", percentiles(Fields.READ_MS))
                .aggregations("readCount", a -> a.valueCount(v -> v.field(Fields.READ_MS))));
        Map<String, Aggregate> aggs = response.aggregations();
        return new ReceiptLatency(percentiles(aggs.get("delivered"), aggs.get("deliveredCount")),
                percentiles(aggs.get("read"), aggs.get("readCount")));
    }

    private static Function<co.elastic.clients.elasticsearch._types.aggregations.Aggregation.Builder,
            co.elastic.clients.util.ObjectBuilder<co.elastic.clients.elasticsearch._types.aggregations.Aggregation>>
    percentiles(String field) {
        return a -> a.percentiles(p -> p.field(field).percents(50.0, 90.0, 99.0).keyed(false)
                .hdr(h -> h.numberOfSignificantValueDigits(3)));
    }

    private static Percentiles percentiles(Aggregate percentiles, Aggregate count) {
        long n = (long) count.valueCount().value();
        if (n == 0) {
            return new Percentiles(0L, null, null, null);
        }
        Map<Double, Double> byKey = new HashMap<>();
        for (ArrayPercentilesItem item : percentiles.hdrPercentiles().values().array()) {
            byKey.put(item.key(), item.value());
        }
        return new Percentiles(n, byKey.get(50.0), byKey.get(90.0), byKey.get(99.0));
    }

    private SearchResponse<Void> aggregate(Instant from, Instant to,
                                           Function<SearchRequest.Builder, SearchRequest.Builder> aggregations) {
        if (!from.isBefore(to)) {
            throw new InvalidSearchException("invalid-range", "'from' must be before 'to'");
        }
        Query range = Query.of(q -> q.range(r -> r.date(d -> d.field(Fields.SENT_AT)
                .gte(from.toString()).lt(to.toString()))));
        try {
            return index.client().search(s -> aggregations.apply(s.index(index.readAlias()).size(0).query(range)),
                    Void.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
