package io.parley.query.search;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.parley.projections.search.MessageIndex;
import io.parley.projections.search.MessageIndex.Fields;
import io.parley.projections.search.SearchIndexProperties;
import io.parley.projections.search.SearchMemberships;
import io.parley.projections.search.SearchMemberships.Interval;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Full-text search over the {@code messages} alias, restricted to what the caller may see: the conversations
 * they belong to, and in each only the seqs of their membership intervals (a removed member keeps finding what
 * came before the removal, nothing after). User text goes through {@code simple_query_string}, which never
 * fails on syntax, so no input can turn into a server error. Pages continue with {@code search_after}.
 */
@Component
public class MessageSearch {

    public static final int MAX_PAGE = 100;
    public static final int MAX_QUERY_LENGTH = 512;
    private static final Set<String> TYPES = Set.of("TEXT", "IMAGE", "VIDEO", "AUDIO", "DOCUMENT");
    private static final String FRAGMENT_SEPARATOR = " … ";

    public enum Order { NEWEST, RELEVANCE }

    /** {@code mentioningMe}: only messages that mention the caller ({@code userId}). */
    public record Request(String userId, String text, String conversationId, Instant from, Instant to,
                          String senderId, String type, String cursor, Order order, int size, boolean mentioningMe) {
        public Request(String userId, String text, String conversationId, Instant from, Instant to,
                       String senderId, String type, String cursor, Order order, int size) {
            this(userId, text, conversationId, from, to, senderId, type, cursor, order, size, false);
        }
    }

    /** {@code mentions}: the member ids the message mentions (empty when none). */
    public record Hit(String conversationId, long seq, String senderId, String type, String text, String highlight,
                      Instant sentAt, List<String> mentions) {
    }

    public record Page(List<Hit> hits, String nextCursor) {
    }

    private final MessageIndex index;
    private final MongoDatabase database;
    private final ReadGeneration generation;

    public MessageSearch(MessageIndex index, MongoDatabase database, SearchIndexProperties properties) {
        this.index = index;
        this.database = database;
        this.generation = new ReadGeneration(index, properties.membershipCacheTtl());
    }

    public Page search(Request request) {
        validate(request);
        boolean hasText = request.text() != null && !request.text().isBlank();
        Order order = request.order() != null ? request.order() : hasText ? Order.RELEVANCE : Order.NEWEST;
        if (!hasText) {
            order = Order.NEWEST;
        }
        // a bad cursor is the caller's error whether or not they belong to any conversation
        List<FieldValue> after = request.cursor() == null ? null : decodeCursor(request.cursor(), order);
        Document membership = database.getCollection(SearchMemberships.collection(generation.current()))
                .find(Filters.eq("_id", request.userId())).first();
        List<Interval> visible = visibleIntervals(membership, request.conversationId());
        if (visible.isEmpty()) {
            return new Page(List.of(), null);
        }
        List<String> hidden = SearchMemberships.hidden(membership);
        Order finalOrder = order;
        Query query = Query.of(q -> q.bool(b -> {
            if (hasText) {
                b.must(m -> m.simpleQueryString(s -> s.query(request.text().strip())
                        .fields(Fields.TEXT, Fields.FILE_NAME).defaultOperator(Operator.And)));
            }
            b.filter(membershipFilter(visible));
            b.mustNot(n -> n.term(t -> t.field(Fields.DELETED).value(true)));
            if (!hidden.isEmpty()) {
                // deleted for the caller only
                b.mustNot(n -> n.ids(i -> i.values(hidden)));
            }
            // withheld from this user because they blocked its sender (README, Blocking)
            b.mustNot(n -> n.term(t -> t.field(Fields.HIDDEN_FROM).value(request.userId())));
            if (request.mentioningMe()) {
                b.filter(f -> f.term(t -> t.field(Fields.MENTIONS).value(request.userId())));
            }
            if (request.senderId() != null) {
                b.filter(f -> f.term(t -> t.field(Fields.SENDER_ID).value(request.senderId())));
            }
            if (request.type() != null) {
                b.filter(f -> f.term(t -> t.field(Fields.TYPE).value(request.type())));
            }
            if (request.from() != null || request.to() != null) {
                b.filter(f -> f.range(r -> r.date(d -> {
                    d.field(Fields.SENT_AT);
                    if (request.from() != null) {
                        d.gte(request.from().toString());
                    }
                    if (request.to() != null) {
                        d.lt(request.to().toString());
                    }
                    return d;
                })));
            }
            return b;
        }));
        int size = request.size() <= 0 ? 20 : request.size();
        SearchResponse<Map> response;
        try {
            response = index.client().search(s -> {
                s.index(index.readAlias()).query(query).size(size + 1).trackTotalHits(t -> t.enabled(false))
                        .source(src -> src.filter(f -> f.includes(Fields.CONVERSATION_ID, Fields.SEQ,
                                Fields.SENDER_ID, Fields.TYPE, Fields.TEXT, Fields.SENT_AT, Fields.MENTIONS)))
                        .sort(sort(finalOrder));
                if (hasText) {
                    s.highlight(h -> h.encoder(HighlighterEncoder.Html).preTags("<em>").postTags("</em>")
                            .fields(Fields.TEXT, f -> f.fragmentSize(120).numberOfFragments(3))
                            .fields(Fields.FILE_NAME, f -> f.numberOfFragments(0)));
                }
                if (after != null) {
                    s.searchAfter(after);
                }
                return s;
            }, Map.class);
        } catch (ElasticsearchException e) {
            if (e.status() == 400) {
                throw new InvalidSearchException("invalid-query", "The search cannot be run as written");
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<co.elastic.clients.elasticsearch.core.search.Hit<Map>> raw = response.hits().hits();
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < Math.min(size, raw.size()); i++) {
            hits.add(toHit(raw.get(i)));
        }
        String next = raw.size() > size ? encodeCursor(raw.get(size - 1).sort(), finalOrder) : null;
        return new Page(hits, next);
    }

    /** The caller's membership intervals, narrowed to one conversation when asked. */
    private static List<Interval> visibleIntervals(Document membership, String conversationId) {
        List<Interval> intervals = SearchMemberships.latest(SearchMemberships.intervals(membership));
        if (conversationId != null) {
            intervals = intervals.stream().filter(i -> i.conversationId().equals(conversationId)).toList();
        }
        return intervals;
    }

    /**
     * Whole memberships (from the start, still a member) go into one {@code terms} filter; bounded intervals
     * (joined later, removed, left) become a conversation + seq range clause each. An interval that ended (a
     * removal, a departure) also leaves out the messages edited or deleted after its end: the index holds only
     * their new text, which the former member must not see (docs/design.md, section 4, "Late joiners and
     * former members").
     */
    private static Query membershipFilter(List<Interval> intervals) {
        List<FieldValue> whole = new ArrayList<>();
        List<Query> bounded = new ArrayList<>();
        for (Interval i : intervals) {
            if (i.since() <= 0 && i.until() == null) {
                whole.add(FieldValue.of(i.conversationId()));
            } else {
                bounded.add(Query.of(q -> q.bool(b -> {
                    b.filter(f -> f.term(t -> t.field(Fields.CONVERSATION_ID).value(i.conversationId())))
                            .filter(f -> f.range(r -> r.number(n -> {
                                n.field(Fields.SEQ).gt((double) i.since());
                                if (i.until() != null) {
                                    n.lt((double) i.until());
                                }
                                return n;
                            })));
                    if (i.until() != null) {
                        b.filter(unchangedBefore(i.until()));
                    }
                    return b;
                })));
            }
        }
        return Query.of(q -> q.bool(b -> {
            if (!whole.isEmpty()) {
                b.should(s -> s.terms(t -> t.field(Fields.CONVERSATION_ID).terms(v -> v.value(whole))));
            }
            bounded.forEach(b::should);
            return b.minimumShouldMatch("1");
        }));
    }

    /** Messages never edited nor deleted, or last changed before {@code until}. */
    private static Query unchangedBefore(long until) {
        return Query.of(q -> q.bool(b -> b
                .should(s -> s.bool(never -> never.mustNot(m -> m.exists(x -> x.field(Fields.CHANGED_SEQ)))))
                .should(s -> s.range(r -> r.number(n -> n.field(Fields.CHANGED_SEQ).lt((double) until))))
                .minimumShouldMatch("1")));
    }

    private static List<SortOptions> sort(Order order) {
        List<SortOptions> sort = new ArrayList<>();
        if (order == Order.RELEVANCE) {
            sort.add(SortOptions.of(s -> s.score(sc -> sc.order(SortOrder.Desc))));
        }
        sort.add(SortOptions.of(s -> s.field(f -> f.field(Fields.SENT_AT).order(SortOrder.Desc))));
        sort.add(SortOptions.of(s -> s.field(f -> f.field(Fields.KEY).order(SortOrder.Desc))));
        return sort;
    }

    @SuppressWarnings("unchecked")
    private static Hit toHit(co.elastic.clients.elasticsearch.core.search.Hit<Map> hit) {
        Map<String, Object> source = hit.source();
        String highlight = null;
        if (hit.highlight() != null) {
            List<String> fragments = hit.highlight().getOrDefault(Fields.TEXT,
                    hit.highlight().get(Fields.FILE_NAME));
            if (fragments != null && !fragments.isEmpty()) {
                highlight = String.join(FRAGMENT_SEPARATOR, fragments);
            }
        }
        return new Hit((String) source.get(Fields.CONVERSATION_ID), ((Number) source.get(Fields.SEQ)).longValue(),
                (String) source.get(Fields.SENDER_ID), (String) source.get(Fields.TYPE),
                (String) source.get(Fields.TEXT), highlight, Instant.parse((String) source.get(Fields.SENT_AT)),
                // documents indexed before mentions existed have no such field: they mention no one
                source.get(Fields.MENTIONS) instanceof List<?> mentions
                        ? mentions.stream().map(String::valueOf).toList() : List.of());
    }

    /** Cursor = the last hit's sort values, tagged with the order so a cursor cannot be replayed under another. */
    static String encodeCursor(List<FieldValue> sortValues, Order order) {
        StringBuilder text = new StringBuilder(order == Order.RELEVANCE ? "r" : "n");
        for (FieldValue value : sortValues) {
            text.append('\n');
            if (value.isDouble()) {
                text.append('d').append(value.doubleValue());
            } else if (value.isLong()) {
                text.append('l').append(value.longValue());
            } else {
                text.append('s').append(value._toJsonString());
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<FieldValue> decodeCursor(String cursor, Order order) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n");
            int expected = order == Order.RELEVANCE ? 4 : 3;
            if (parts.length != expected || !parts[0].equals(order == Order.RELEVANCE ? "r" : "n")) {
                throw new IllegalArgumentException("cursor of another query");
            }
            List<FieldValue> values = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String v = parts[i].substring(1);
                values.add(switch (parts[i].charAt(0)) {
                    case 'd' -> FieldValue.of(Double.parseDouble(v));
                    case 'l' -> FieldValue.of(Long.parseLong(v));
                    case 's' -> FieldValue.of(v);
                    default -> throw new IllegalArgumentException("bad cursor value");
                });
            }
            return values;
        } catch (IllegalArgumentException e) {
            throw new InvalidSearchException("invalid-cursor", "The cursor is not one this search returned");
        }
    }

    private static void validate(Request request) {
        if (request.text() != null) {
            if (request.text().length() > MAX_QUERY_LENGTH) {
                throw new InvalidSearchException("invalid-query", "The query is longer than " + MAX_QUERY_LENGTH
                        + " characters");
            }
            if (!request.text().isBlank() && request.text().codePoints().noneMatch(Character::isLetterOrDigit)) {
                throw new InvalidSearchException("invalid-query", "The query has no word to search for");
            }
        }
        if (request.from() != null && request.to() != null && !request.from().isBefore(request.to())) {
            throw new InvalidSearchException("invalid-range", "'from' must be before 'to'");
        }
        if (request.type() != null && !TYPES.contains(request.type())) {
            throw new InvalidSearchException("invalid-parameter", "type must be one of " + TYPES);
        }
        if (request.size() > MAX_PAGE) {
            throw new InvalidSearchException("invalid-parameter", "size must be at most " + MAX_PAGE);
        }
    }

}
