package io.parley.projections.audit;

import io.parley.projections.support.InMemoryMongo;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit chain end to end without a database server: the projection links rows as stored, the verifier
 * recomputes them and names the first position whose row was altered, removed, inserted or moved.
 */
class ChainVerifierTest {

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private InMemoryStoredEvents store;
    private ChainLinks links;
    private AuditChainProjection projection;
    private ChainVerifier verifier;

    @BeforeEach
    void setUp() {
        store = new InMemoryStoredEvents();
        links = new ChainLinks(mongo.emptyDatabase("chain"));
        AuditChainProperties properties = new AuditChainProperties(Duration.ofMinutes(5), 3);
        projection = new AuditChainProjection(store, links, properties);
        verifier = new ChainVerifier(store, links, properties);
    }

    private void events(int count) {
        for (int i = 0; i < count; i++) {
            store.append("Conversation", "c", i, T0.plusSeconds(i), String.class, "{\"n\":" + i + "}");
        }
    }

    /** Delivers the events at these positions in this order, each with the token a tracking processor would hold. */
    private void deliver(long... positions) {
        for (long p : positions) {
            deliver(p, GapAwareTrackingToken.newInstance(p, Set.of()));
        }
    }

    private void deliver(long position, GapAwareTrackingToken token) {
        projection.on(new GenericEventMessage<>(store.get(position).eventId(), "x", java.util.Map.of(), T0), token);
    }

    private void chainAll() {
        for (long p = 0; p < store.size(); p++) {
            deliver(p);
        }
    }

    @Test
    void anUnalteredStoreIsVerifiedAcrossChunks() {
        events(10);
        chainAll();
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isTrue();
        assertThat(v.events()).isEqualTo(10);
        assertThat(v.headPosition()).isEqualTo(9);
        assertThat(v.head()).isEqualTo(links.head().hash()).hasSize(64);
        assertThat(v.firstBrokenPosition()).isNull();
        // the verifier read one chunk (3 rows) at a time
        assertThat(store.largestAnswer()).isLessThanOrEqualTo(3);
    }

    @Test
    void theHeadIsTheHashOfEveryRowInOrder() {
        events(3);
        chainAll();
        byte[] expected = ChainHash.GENESIS;
        for (long p = 0; p < 3; p++) {
            expected = ChainHash.link(expected, store.get(p));
        }
        assertThat(links.head().hash()).isEqualTo(ChainHash.hex(expected));
    }

    @Test
    void anAlteredPayloadIsReportedAtItsPosition() {
        events(10);
        chainAll();
        StoredEvent original = store.get(6);
        store.put(new StoredEvent(6, original.eventId(), original.aggregateType(), original.aggregateId(),
                original.aggregateSeq(), original.timestamp(), original.payloadType(), original.revision(),
                "{\"n\":666}".getBytes(StandardCharsets.UTF_8), original.metaData()));
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isFalse();
        assertThat(v.firstBrokenPosition()).isEqualTo(6);
        assertThat(v.problem()).isEqualTo("altered");
        assertThat(v.events()).isEqualTo(6);

        store.put(original);
        assertThat(verifier.verify().verified()).isTrue();
    }

    @Test
    void alteredMetadataIsReportedToo() {
        events(4);
        chainAll();
        StoredEvent e = store.get(2);
        store.put(new StoredEvent(2, e.eventId(), e.aggregateType(), e.aggregateId(), e.aggregateSeq(), e.timestamp(),
                e.payloadType(), e.revision(), e.payload(), "{\"who\":\"else\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(verifier.verify().firstBrokenPosition()).isEqualTo(2);
    }

    @Test
    void aRemovedRowIsReportedAtItsPosition() {
        events(10);
        chainAll();
        store.remove(4);
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isFalse();
        assertThat(v.firstBrokenPosition()).isEqualTo(4);
        assertThat(v.problem()).isEqualTo("removed");
    }

    @Test
    void removingTheFirstOrTheLastRowIsReported() {
        events(5);
        chainAll();
        StoredEvent last = store.remove(4);
        assertThat(verifier.verify().firstBrokenPosition()).isEqualTo(4);
        store.put(last);
        store.remove(0);
        assertThat(verifier.verify().firstBrokenPosition()).isEqualTo(0);
    }

    @Test
    void movedRowsAreReported() {
        events(6);
        chainAll();
        StoredEvent a = store.get(2);
        StoredEvent b = store.get(3);
        // the two rows swap places (their global indexes), as an UPDATE of the global index column would do
        store.put(new StoredEvent(2, b.eventId(), b.aggregateType(), b.aggregateId(), b.aggregateSeq(), b.timestamp(),
                b.payloadType(), b.revision(), b.payload(), b.metaData()));
        store.put(new StoredEvent(3, a.eventId(), a.aggregateType(), a.aggregateId(), a.aggregateSeq(), a.timestamp(),
                a.payloadType(), a.revision(), a.payload(), a.metaData()));
        assertThat(verifier.verify().firstBrokenPosition()).isEqualTo(2);
    }

    @Test
    void aGapFilledLateIsChainedInDeliveryOrderAndStillVerifies() {
        events(6);
        // position 3 committed after 4 and 5: a tracking processor delivers it last
        deliver(0, 1, 2);
        deliver(4, GapAwareTrackingToken.newInstance(4, Set.of(3L)));
        deliver(5, GapAwareTrackingToken.newInstance(5, Set.of(3L)));
        ChainVerifier.Verification waiting = verifier.verify();
        assertThat(waiting.verified()).isTrue();
        assertThat(waiting.pending()).isEqualTo(1);
        assertThat(waiting.events()).isEqualTo(5);

        // the late event comes with the token of the highest position seen: index 5, the gap closed
        deliver(3, GapAwareTrackingToken.newInstance(5, Set.of()));
        assertThat(links.byPosition(List.of(3L)).get(3L).prev()).isEqualTo(5);
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isTrue();
        assertThat(v.events()).isEqualTo(6);
        assertThat(v.headPosition()).isEqualTo(3);

        store.remove(5);
        assertThat(verifier.verify().firstBrokenPosition()).isEqualTo(5);
    }

    @Test
    void eventsNotYetReachedArePendingNotBroken() {
        events(5);
        deliver(0, 1, 2);
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isTrue();
        assertThat(v.events()).isEqualTo(3);
        assertThat(v.pending()).isEqualTo(2);
    }

    @Test
    void aRowInsertedBehindTheChainIsReported() {
        events(5);
        chainAll();
        StoredEvent removed = store.remove(2);
        StoredEvent forged = new StoredEvent(2, "forged", removed.aggregateType(), removed.aggregateId(),
                removed.aggregateSeq(), removed.timestamp(), removed.payloadType(), removed.revision(),
                removed.payload(), removed.metaData());
        store.put(forged);
        assertThat(verifier.verify().firstBrokenPosition()).isEqualTo(2);
        assertThat(verifier.verify().problem()).isEqualTo("altered");
    }

    @Test
    void aRowAtAPositionTheChainPassedIsReportedAsInserted() {
        events(5);
        // position 3 never committed (a rolled-back sequence value): the processor's token passed it
        StoredEvent never = store.remove(3);
        deliver(0, 1, 2, 4);
        assertThat(verifier.verify().verified()).isTrue();
        store.put(never);
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.firstBrokenPosition()).isEqualTo(3);
        assertThat(v.problem()).isEqualTo("inserted");
    }

    @Test
    void aRewrittenLinkBreaksTheChainAtTheNextOne() {
        events(5);
        chainAll();
        // someone recomputes link 2 for an altered row 2 (but not the links after it)
        StoredEvent e = store.get(2);
        StoredEvent altered = new StoredEvent(2, e.eventId(), e.aggregateType(), e.aggregateId(), e.aggregateSeq(),
                e.timestamp(), e.payloadType(), e.revision(), "{\"n\":-2}".getBytes(StandardCharsets.UTF_8),
                e.metaData());
        store.put(altered);
        ChainLinks.Link link1 = links.byPosition(List.of(1L)).get(1L);
        ChainLinks.Link link2 = links.byPosition(List.of(2L)).get(2L);
        String forged = ChainHash.hex(ChainHash.link(ChainHash.parse(link1.hash()), altered));
        links.append(List.of(new ChainLinks.Link(2, link2.n(), link2.prev(), forged)), links.head());
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isFalse();
        assertThat(v.firstBrokenPosition()).isEqualTo(3);
    }

    @Test
    void aRedeliveredEventKeepsItsLink() {
        events(4);
        chainAll();
        String head = links.head().hash();
        deliver(2, 3);
        assertThat(links.head().hash()).isEqualTo(head);
        assertThat(links.head().n()).isEqualTo(4);
        assertThat(verifier.verify().verified()).isTrue();
    }

    @Test
    void anEmptyChainOnAnEmptyStoreIsVerified() {
        ChainVerifier.Verification v = verifier.verify();
        assertThat(v.verified()).isTrue();
        assertThat(v.events()).isZero();
        assertThat(v.head()).isNull();
    }

    @Test
    void nullAndEmptyColumnsHashDifferently() {
        StoredEvent withNull = new StoredEvent(1, "e", null, "a", 0, "t", "T", "1", new byte[0], new byte[0]);
        StoredEvent withEmpty = new StoredEvent(1, "e", "", "a", 0, "t", "T", "1", new byte[0], new byte[0]);
        assertThat(ChainHash.link(ChainHash.GENESIS, withNull)).isNotEqualTo(ChainHash.link(ChainHash.GENESIS, withEmpty));
    }
}
