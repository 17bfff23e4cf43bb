package io.parley.query.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.projections.audit.InMemoryStoredEvents;
import io.parley.projections.audit.StoredEvent;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pages, export and state over an in-memory store that records how many rows any one read returned. */
class AuditLogTest {

    private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private InMemoryStoredEvents store;
    private final List<String> userIds = List.of("11111111-1111-1111-1111-111111111111",
            "22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333");

    @BeforeEach
    void setUp() {
        store = new InMemoryStoredEvents();
    }

    private AuditLog log(int chunk, int scanLimit) {
        EventDecoder decoder = new EventDecoder(JacksonSerializer.builder().objectMapper(JSON).build(),
                new EventUpcasterChain(), JSON);
        return new AuditLog(store, decoder, new AuditProperties(chunk, scanLimit));
    }

    private StoredEvent append(String aggregateType, String aggregateId, long seq, Instant at, Object payload) {
        try {
            return store.append(aggregateType, aggregateId, seq, at, payload.getClass(), JSON.writeValueAsString(payload));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} messages into conversation c, sent in turn by the three users, one second apart. */
    private void messages(String cid, int count) {
        for (int i = 0; i < count; i++) {
            append("Conversation", cid, i + 1, T0.plusSeconds(i), new MessageSent(cid, i + 1, "m" + i, "cm" + i,
                    userIds.get(i % 3), MessageType.TEXT, "text " + i, null, null, T0.plusSeconds(i)));
        }
    }

    private static AuditQuery query(String conversationId, String userId, String types) {
        return AuditQuery.parse(conversationId, userId, null, null, types, null);
    }

    private List<AuditPage> allPages(AuditLog log, AuditQuery first, int limit) {
        List<AuditPage> pages = new ArrayList<>();
        AuditQuery q = first;
        while (true) {
            AuditPage page = log.events(q, limit);
            pages.add(page);
            if (page.nextCursor() == null) {
                return pages;
            }
            q = AuditQuery.parse(first.conversationId(), first.userId(), null, null,
                    first.types() == null ? null : String.join(",", first.types()), page.nextCursor());
        }
    }

    private static List<Long> positions(List<AuditPage> pages) {
        return pages.stream().flatMap(p -> p.events().stream()).map(AuditEntry::position).toList();
    }

    @Test
    void pagesFollowTheGlobalOrderAndTheLastHasNoCursor() {
        messages("c", 25);
        List<AuditPage> pages = allPages(log(7, 1000), query(null, null, null), 10);
        assertThat(pages).extracting(p -> p.events().size()).containsExactly(10, 10, 5);
        assertThat(positions(pages)).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 25).boxed().toList());
        AuditEntry first = pages.get(0).events().get(0);
        assertThat(first.type()).isEqualTo("MessageSent");
        assertThat(first.revision()).isEqualTo("1");
        assertThat(first.aggregateType()).isEqualTo("Conversation");
        assertThat(first.aggregateId()).isEqualTo("c");
        assertThat(first.aggregateSeq()).isEqualTo(1);
        assertThat(first.timestamp()).isEqualTo(T0);
        assertThat(first.actorId()).isEqualTo(userIds.get(0));
        assertThat(first.payload().get("text").asText()).isEqualTo("text 0");
    }

    @Test
    void aPageEndingExactlyAtTheLastEventHasNoCursor() {
        messages("c", 20);
        List<AuditPage> pages = allPages(log(500, 1000), query(null, null, null), 10);
        assertThat(pages).extracting(p -> p.events().size()).containsExactly(10, 10);
    }

    @Test
    void byUserMatchesActorAndSubjectAndReadsOneChunkAtATime() {
        String alice = userIds.get(0);
        String bob = userIds.get(1);
        append("Account", bob, 0, T0, new AccountRegistered(bob, "bob", "Bob", Set.of(), T0));
        append("Conversation", "g", 0, T0, new GroupCreated("g", "t", alice, List.of(alice, bob), T0));
        messages("c", 300);
        append("Conversation", "g", 1, T0, new MemberRemoved("g", 1, bob, alice, T0));
        List<AuditPage> pages = allPages(log(40, 100000), query(null, bob, null), 30);
        List<AuditEntry> entries = pages.stream().flatMap(p -> p.events().stream()).toList();
        // registration, the group naming bob a member, 100 of the 300 messages, the removal
        assertThat(entries).hasSize(103);
        assertThat(entries.get(0).type()).isEqualTo("AccountRegistered");
        assertThat(entries.get(entries.size() - 1).type()).isEqualTo("MemberRemoved");
        assertThat(entries.get(entries.size() - 1).actorId()).isEqualTo(alice);
        assertThat(positions(pages)).isSorted();
        assertThat(store.largestAnswer()).isLessThanOrEqualTo(40);
    }

    @Test
    void aRareUserStopsAtTheScanBudgetWithACursorToGoOn() {
        messages("c", 300);
        String loner = "44444444-4444-4444-4444-444444444444";
        append("Account", loner, 0, T0, new AccountRegistered(loner, "l", "L", Set.of(), T0));
        AuditLog log = log(50, 100);
        AuditPage first = log.events(query(null, loner, null), 10);
        assertThat(first.events()).isEmpty();
        assertThat(first.nextCursor()).isNotNull();
        List<AuditPage> pages = allPages(log, query(null, loner, null), 10);
        assertThat(pages.get(pages.size() - 1).events()).extracting(AuditEntry::type).containsExactly("AccountRegistered");
    }

    @Test
    void conversationAndTypesFilterInSql() {
        messages("cccccccc-0000-0000-0000-000000000000", 5);
        messages("d", 5);
        append("Conversation", "cccccccc-0000-0000-0000-000000000000", 6, T0, new MessageDeleted("cccccccc-0000-0000-0000-000000000000", 6, 1, userIds.get(0), T0));
        assertThat(positions(allPages(log(3, 1000), query("cccccccc-0000-0000-0000-000000000000", null, null), 2))).hasSize(6);
        assertThat(positions(allPages(log(3, 1000), query(null, null, "MessageDeleted"), 2))).containsExactly(10L);
        AuditQuery window = AuditQuery.parse(null, null, T0.plusSeconds(1).toString(), T0.plusSeconds(3).toString(), null, null);
        assertThat(log(3, 1000).events(window, 100).events()).extracting(AuditEntry::aggregateSeq)
                .containsExactly(2L, 3L, 2L, 3L);
    }

    @Test
    void exportStreamsEveryMatchWhileHoldingOneChunk() {
        messages("cccccccc-0000-0000-0000-000000000000", 5000);
        AuditLog log = log(100, 1000);
        int[] seen = {0};
        int[] callsAtFirstEntry = {-1};
        long[] last = {-1};
        log.export(query(null, null, null), entry -> {
            if (seen[0]++ == 0) {
                callsAtFirstEntry[0] = store.calls();
            }
            assertThat(entry.position()).isGreaterThan(last[0]);
            last[0] = entry.position();
        });
        assertThat(seen[0]).isEqualTo(5000);
        // no read returned more than a chunk, and the first line went out after the first read, not the last
        assertThat(store.largestAnswer()).isLessThanOrEqualTo(100);
        assertThat(callsAtFirstEntry[0]).isEqualTo(1);
        assertThat(store.calls()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void stateAtAnInstantUsesTheEventsUpToIt() {
        String alice = userIds.get(0);
        String bob = userIds.get(1);
        append("Conversation", "g", 0, T0, new GroupCreated("g", "t", alice, List.of(alice, bob), T0));
        append("Conversation", "g", 1, T0.plusSeconds(10), new MessageSent("g", 1, "m", "cm", bob, MessageType.TEXT,
                "said", null, null, T0.plusSeconds(10)));
        append("Conversation", "g", 2, T0.plusSeconds(20), new MessageDeleted("g", 2, 1, bob, T0.plusSeconds(20)));
        AuditLog log = log(1, 10);
        assertThat(log.conversation("g", T0.minusSeconds(1))).isEmpty();
        ConversationAsOf.Message before = log.conversation("g", T0.plusSeconds(19)).orElseThrow().messages().get(0);
        assertThat(before.text()).isEqualTo("said");
        assertThat(before.deleted()).isFalse();
        assertThat(log.conversation("g", T0.plusSeconds(20)).orElseThrow().messages().get(0).deleted()).isTrue();
    }

    @Test
    void auditQueriesAreFoundByAuditorAndType() {
        String auditor = userIds.get(2);
        messages("cccccccc-0000-0000-0000-000000000000", 3);
        StoredEvent e = append(null, "e1", 0, T0, new io.parley.api.audit.AuditEvents.AuditQueried(auditor,
                "GET /api/audit/verify", java.util.Map.of("position", "3"), T0));
        AuditPage page = log(10, 100).events(query(null, auditor, "AuditQueried"), 10);
        assertThat(page.events()).extracting(AuditEntry::position).containsExactly(e.position());
        assertThat(page.events().get(0).actorId()).isEqualTo(auditor);
        assertThat(page.events().get(0).aggregateType()).isNull();
    }

    @Test
    void anAlteredPayloadStillShowsAsStored() {
        store.append("Conversation", "c", 1, T0, MessageSent.class, "{not json");
        AuditEntry entry = log(10, 100).events(query(null, null, null), 10).events().get(0);
        assertThat(entry.payload().asText()).isEqualTo("{not json");
        assertThat(entry.actorId()).isNull();
    }

    @Test
    void badFiltersAreRefused() {
        assertThatThrownBy(() -> AuditQuery.parse(null, null, "yesterday", null, null, null))
                .isInstanceOfSatisfying(InvalidAuditQueryException.class, e -> assertThat(e.code()).isEqualTo("invalid-parameter"));
        assertThatThrownBy(() -> AuditQuery.parse(null, null, T0.toString(), T0.toString(), null, null))
                .isInstanceOfSatisfying(InvalidAuditQueryException.class, e -> assertThat(e.code()).isEqualTo("invalid-range"));
        assertThatThrownBy(() -> AuditQuery.parse(null, null, null, null, "MessageSent,Nope", null))
                .hasMessageContaining("Nope");
        assertThatThrownBy(() -> AuditQuery.parse(null, "Bob", null, null, null, null))
                .isInstanceOfSatisfying(InvalidAuditQueryException.class, e -> assertThat(e.code()).isEqualTo("invalid-account-id"));
        assertThatThrownBy(() -> AuditQuery.parse("x", null, null, null, null, null))
                .isInstanceOf(InvalidAuditQueryException.class);
        assertThatThrownBy(() -> AuditQuery.parse(null, null, null, null, null, "bm90IGEgY3Vyc29y"))
                .isInstanceOfSatisfying(InvalidAuditQueryException.class, e -> assertThat(e.code()).isEqualTo("invalid-cursor"));
        assertThatThrownBy(() -> AuditLog.checkLimit(0)).isInstanceOf(InvalidAuditQueryException.class);
        assertThatThrownBy(() -> AuditLog.checkLimit(1001)).isInstanceOf(InvalidAuditQueryException.class);
        AuditLog.checkLimit(1000);
        assertThat(AuditCursor.decode(AuditCursor.encode(42))).isEqualTo(42);
    }
}
