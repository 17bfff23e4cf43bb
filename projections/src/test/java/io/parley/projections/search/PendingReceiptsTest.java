package io.parley.projections.search;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.parley.projections.support.InMemoryMongo;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class PendingReceiptsTest {

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private MongoCollection<Document> store;
    private int reads;

    @BeforeEach
    void setUp() {
        store = mongo.emptyDatabase("pending").getCollection("receipts");
        reads = 0;
    }

    /** The stored state, as a new batch would see it. */
    private PendingReceipts load(String conversationId) {
        return PendingReceipts.of(conversationId, store.find(Filters.eq("_id", conversationId)).first(), this::chunks);
    }

    private Map<String, Document> chunks(Collection<String> ids) {
        reads++;
        Map<String, Document> found = new HashMap<>();
        store.find(Filters.in("_id", ids)).forEach(d -> found.put(d.getString("_id"), d));
        return found;
    }

    private void save(PendingReceipts pending) {
        var writes = pending.writes();
        if (!writes.isEmpty()) {
            store.bulkWrite(writes);
        }
    }

    private static void send(PendingReceipts pending, long from, long to, String sender) {
        for (long seq = from; seq <= to; seq++) {
            pending.add(seq, T0.plusSeconds(seq), sender, 10_000);
        }
    }

    @Test
    void watermarkResolvesThePeersMessagesWithTheirLatencyAndEmptiedChunksGo() {
        PendingReceipts pending = load("c1");
        send(pending, 1, 200, "alice");
        save(pending);
        assertThat(store.countDocuments()).isEqualTo(1 + 4); // head + chunks 0..3

        Map<Long, Long> resolved = new TreeMap<>();
        PendingReceipts later = load("c1");
        assertThat(later.delivered("bob", 150, T0.plusSeconds(300), resolved::put)).isTrue();
        assertThat(resolved).hasSize(150).containsEntry(1L, 299_000L).containsEntry(150L, 150_000L);
        save(later);

        resolved.clear();
        PendingReceipts third = load("c1");
        third.delivered("bob", 200, T0.plusSeconds(400), resolved::put);
        assertThat(resolved.keySet()).first().isEqualTo(151L);
        assertThat(resolved).hasSize(50);
        third.read("bob", 200, T0.plusSeconds(400), (s, ms) -> { });
        save(third);
        assertThat(store.countDocuments()).as("only the head is left").isEqualTo(1);
        assertThat(store.find(Filters.eq("_id", "c1")).first().get("d", Number.class).longValue())
                .as("low mark moved past the resolved chunks").isGreaterThan(3);
    }

    @Test
    void aReplayedSendIsSkippedEvenAfterItWasResolved() {
        PendingReceipts pending = load("c1");
        send(pending, 1, 10, "alice");
        pending.delivered("bob", 10, T0.plusSeconds(20), (s, ms) -> { });
        save(pending);

        PendingReceipts replay = load("c1");
        assertThat(replay.add(5, T0.plusSeconds(5), "alice", 10_000)).isFalse();
        assertThat(replay.add(11, T0.plusSeconds(11), "alice", 10_000)).isTrue();
        List<Long> again = new ArrayList<>();
        replay.delivered("bob", 11, T0.plusSeconds(30), (s, ms) -> again.add(s));
        assertThat(again).containsExactly(11L);
    }

    @Test
    void aMembersOwnMessagesWaitForSomeoneElse() {
        PendingReceipts pending = load("g1");
        send(pending, 1, 3, "alice");
        List<Long> resolved = new ArrayList<>();
        pending.delivered("alice", 3, T0.plusSeconds(10), (s, ms) -> resolved.add(s));
        assertThat(resolved).isEmpty();
        pending.delivered("carol", 3, T0.plusSeconds(10), (s, ms) -> resolved.add(s));
        assertThat(resolved).containsExactly(1L, 2L, 3L);
    }

    @Test
    void beyondTheCapTheOldestChunksAreDroppedAndStorageStaysBounded() {
        PendingReceipts pending = load("c1");
        for (long seq = 1; seq <= 2_000; seq++) {
            pending.add(seq, T0.plusSeconds(seq), "alice", 128);
        }
        save(pending);
        assertThat(store.countDocuments()).isLessThanOrEqualTo(1 + 3 + 1);
        List<Long> resolved = new ArrayList<>();
        load("c1").delivered("bob", 2_000, T0.plusSeconds(3_000), (s, ms) -> resolved.add(s));
        assertThat(resolved).hasSizeBetween(128, 192).contains(2_000L).doesNotContain(1L, 1_800L);
    }

    @Test
    void aDeletedMessageNoLongerWaits() {
        PendingReceipts pending = load("c1");
        send(pending, 1, 3, "alice");
        assertThat(pending.forget(2)).isTrue();
        assertThat(pending.forget(99)).isFalse();
        List<Long> resolved = new ArrayList<>();
        pending.read("bob", 3, T0.plusSeconds(10), (s, ms) -> resolved.add(s));
        assertThat(resolved).containsExactly(1L, 3L);
    }

    @Test
    void theFormerSingleDocumentIsSplitIntoChunks() {
        List<Document> entries = new ArrayList<>();
        for (long seq = 60; seq <= 70; seq++) {
            entries.add(new Document("s", seq).append("t", T0.plusSeconds(seq).toEpochMilli()).append("u", "alice"));
        }
        store.insertOne(new Document("_id", "c1").append("undelivered", entries)
                .append("unread", entries.subList(5, 11)));
        PendingReceipts migrated = load("c1");
        assertThat(migrated.add(70, T0, "alice", 10_000)).as("last seq carried over").isFalse();
        save(migrated);
        Document head = store.find(Filters.eq("_id", "c1")).first();
        assertThat(head).doesNotContainKeys("undelivered", "unread");
        assertThat(head.get("r", Number.class).longValue()).isEqualTo(1L);

        List<Long> delivered = new ArrayList<>();
        List<Long> read = new ArrayList<>();
        PendingReceipts after = load("c1");
        after.delivered("bob", 70, T0.plusSeconds(100), (s, ms) -> delivered.add(s));
        after.read("bob", 70, T0.plusSeconds(100), (s, ms) -> read.add(s));
        assertThat(delivered).hasSize(11).startsWith(60L);
        assertThat(read).containsExactly(65L, 66L, 67L, 68L, 69L, 70L);
    }

    @Test
    void aWatermarkReadsTheChunksItSpansInOneQuery() {
        PendingReceipts pending = load("c1");
        send(pending, 1, 640, "alice");
        save(pending);
        reads = 0;
        load("c1").delivered("bob", 640, T0.plusSeconds(1_000), (s, ms) -> { });
        assertThat(reads).isEqualTo(1);
    }
}
