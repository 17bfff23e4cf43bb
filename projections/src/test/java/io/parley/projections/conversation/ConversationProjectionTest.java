package io.parley.projections.conversation;

import com.mongodb.client.model.Updates;
import io.parley.projections.support.InMemoryMongo;
import com.mongodb.client.model.Filters;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.MessageType;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.Receipt;
import io.parley.projections.receipt.MessageReceiptsView;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Feeds events into the projection against an in-memory MongoDB server reached through the real driver. */
class ConversationProjectionTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String A = "a-1", B = "b-1", C = "c-1", D = "d-1";
    private static final String GROUP = "g-1";
    private static final String DIRECT = ConversationIds.direct(A, B);

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private ConversationCollections collections;
    private ConversationProjection projection;
    private MessageReceiptsView receipts;


    @BeforeEach
    void setUp() {
        var database = mongo.client().getDatabase("views");
        database.drop();
        collections = new ConversationCollections(database);
        projection = new ConversationProjection(collections, SimpleQueryUpdateEmitter.builder().build());
        receipts = new MessageReceiptsView(new ConversationViews(collections));
    }

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static MessageSent sent(String cid, long seq, String sender, String text) {
        return new MessageSent(cid, seq, cid + "#" + seq, "cm-" + seq, sender, MessageType.TEXT, text, null, null,
                t((int) seq));
    }

    /** Delivers events the way a processor does: one unit of work per batch, flushed on commit. */
    private void batch(Object... events) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        for (Object event : events) {
            dispatch(event);
        }
        unitOfWork.commit();
    }

    /** Dispatches through Axon's annotation adapter, exactly as the processor invokes the handlers. */
    private void dispatch(Object event) {
        try {
            new AnnotationEventHandlerAdapter(projection).handle(GenericEventMessage.asEventMessage(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ConversationSummary summary(String cid) {
        return collections.summaries().find(Filters.eq("_id", cid)).first();
    }

    private UserConversations.Entry conv(String userId, String cid) {
        return collections.users().find(Filters.eq("_id", userId)).first().conversations().get(cid);
    }

    private List<HistoryBucket.Entry> entries(String cid, long bucket) {
        HistoryBucket doc = collections.buckets().find(Filters.eq("_id", cid + ":" + bucket)).first();
        return doc == null ? List.of() : doc.entries();
    }

    private static Message message(HistoryBucket.Entry entry) {
        return (Message) entry.entry();
    }

    private long unread(String cid, String userId) {
        ConversationSummary s = summary(cid);
        return s.msgCount() - s.members().get(userId).readOrd();
    }

    /** Every document of every view, for before/after comparisons. */
    private Map<String, String> everything() {
        Map<String, String> all = new TreeMap<>();
        var database = mongo.client().getDatabase("views");
        for (String name : List.of(ConversationCollections.SUMMARIES, ConversationCollections.BUCKETS,
                ConversationCollections.USERS)) {
            var collection = database.getCollection(name);
            for (Document doc : collection.find()) {
                all.put(collection.getNamespace().getCollectionName() + "/" + doc.get("_id"), doc.toJson());
            }
        }
        return all;
    }

    private final List<Object> directHistory = List.of(
            new DirectConversationStarted(DIRECT, List.of(A, B), A, T0),
            sent(DIRECT, 1, A, "one"), sent(DIRECT, 2, A, "two"), sent(DIRECT, 3, A, "three"),
            new MessagesDelivered(DIRECT, B, 2, t(10)), new MessagesRead(DIRECT, B, 1, t(11)),
            new ConversationMuted(DIRECT, B, null, t(12)));

    /** A processor's batch reads the summaries of all the conversations it touches in one query. */
    @Test
    void aProcessorsBatchReadsItsConversationsSummariesInOneQuery() throws Exception {
        List<String> cids = List.of(ConversationIds.direct(A, B), ConversationIds.direct(A, "c-0000"),
                ConversationIds.direct(B, "c-0000"));
        batch(new DirectConversationStarted(cids.get(0), List.of(A, B), A, T0),
                new DirectConversationStarted(cids.get(1), List.of(A, "c-0000"), A, T0));
        mongo.takeFinds();

        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (String cid : cids) {
            events.add(new GenericDomainEventMessage<>(ConversationIds.AGGREGATE_TYPE, cid, 5,
                    cid.equals(cids.get(2)) ? new DirectConversationStarted(cid, List.of(B, "c-0000"), B, T0)
                            : sent(cid, 1, A, "to " + cid)));
        }
        for (String cid : cids.subList(0, 2)) {
            events.add(new GenericDomainEventMessage<>(ConversationIds.AGGREGATE_TYPE, cid, 6,
                    sent(cid, 2, A, "again to " + cid)));
        }
        BatchingUnitOfWork<DomainEventMessage<?>> processorBatch = new BatchingUnitOfWork<>(events);
        AnnotationEventHandlerAdapter adapter = new AnnotationEventHandlerAdapter(projection);
        processorBatch.executeWithResult(() -> adapter.handle(processorBatch.getMessage()));

        assertThat(mongo.takeFinds()).filteredOn(f -> f.startsWith(ConversationCollections.SUMMARIES + "/"))
                .as("one query for the three conversations, none per event").hasSize(1);
        assertThat(summary(cids.get(0)).lastSeq()).isEqualTo(2);
        assertThat(summary(cids.get(1)).lastSeq()).isEqualTo(2);
        assertThat(summary(cids.get(2))).as("created in this batch, unknown before it").isNotNull();
        assertThat(entries(cids.get(0), 0)).extracting(HistoryBucket.Entry::seq).containsExactly(1L, 2L);
    }

    @Test
    void aBatchReplayedAfterItsHistoryWasWrittenButNotItsSummaryAddsNoEntryTwice() {
        batch(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(DIRECT, 1, A, "one"));
        batch(sent(DIRECT, 2, A, "two"), sent(DIRECT, 3, A, "three"));
        // the node died after the history's push and before the summary's write: the batch comes again on a
        // summary that still ends at seq 1
        mongo.client().getDatabase("views").getCollection(ConversationCollections.SUMMARIES)
                .updateOne(Filters.eq("_id", DIRECT), Updates.set("lastSeq", 1L));
        batch(sent(DIRECT, 2, A, "two"), sent(DIRECT, 3, A, "three"), sent(DIRECT, 4, A, "four"));

        assertThat(entries(DIRECT, 0)).extracting(HistoryBucket.Entry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(summary(DIRECT).lastSeq()).isEqualTo(4);
    }

    @Test
    void entriesPushedToABucketAndAChangeToOneOfThemInTheSameBatchAreBothKept() {
        batch(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(DIRECT, 1, A, "one"));
        // seq 2 is pushed unread; the reaction at 3 reads the bucket, which takes the pending entry in
        batch(sent(DIRECT, 2, A, "two"), new ReactionChanged(DIRECT, 3, 2, B, "+1", t(3)), sent(DIRECT, 4, A, "four"));

        List<HistoryBucket.Entry> stored = entries(DIRECT, 0);
        assertThat(stored).extracting(HistoryBucket.Entry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(((Message) stored.get(1).entry()).reactions()).containsEntry(B, "+1");
    }

    @Test
    void directChatInboxHistoryAndReceipts() {
        batch(directHistory.toArray());

        ConversationSummary s = summary(DIRECT);
        assertThat(s.lastSeq()).isEqualTo(3);
        assertThat(s.msgCount()).isEqualTo(3);
        assertThat(s.lastMessage().text()).isEqualTo("three");
        assertThat(unread(DIRECT, B)).isEqualTo(2);
        assertThat(unread(DIRECT, A)).isZero();
        assertThat(entries(DIRECT, 0)).extracting(HistoryBucket.Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(entries(DIRECT, 0)).extracting(HistoryBucket.Entry::ord).containsExactly(1L, 2L, 3L);
        UserConversations.Entry convOfB = conv(B, DIRECT);
        assertThat(convOfB.read()).isEqualTo(1);
        assertThat(convOfB.muted()).isTrue();
        assertThat(conv(A, DIRECT).read()).isEqualTo(3);

        assertThat(receipts.receipts(DIRECT, 1).orElseThrow())
                .isEqualTo(new MessageReceipts(1, 1, List.of(new Receipt(B, t(10))), List.of(new Receipt(B, t(11))), "READ"));
        assertThat(receipts.receipts(DIRECT, 2).orElseThrow())
                .isEqualTo(new MessageReceipts(2, 1, List.of(new Receipt(B, t(10))), List.of(), "DELIVERED"));
        assertThat(receipts.receipts(DIRECT, 3).orElseThrow())
                .isEqualTo(new MessageReceipts(3, 1, List.of(), List.of(), "SENT"));
    }

    /**
     * B blocked A, so A's second message was withheld from B; after the unblock B reads up to A's third. The
     * watermark covers seq 2 by number, but B never got it: in A's view it stays "sent" with no recipient, while
     * the messages B did get are read; B's unread count never counted it. Applied twice, the same.
     */
    @Test
    void aWatermarkAfterAnUnblockMarksNoWithheldMessageReadOrDelivered() {
        List<Object> history = List.of(
                new DirectConversationStarted(DIRECT, List.of(A, B), A, T0),
                sent(DIRECT, 1, A, "before the block"),
                new MessageSent(DIRECT, 2, DIRECT + "#2", "cm-2", A, MessageType.TEXT, "while blocked", null, null,
                        t(2), List.of(), List.of(B)),
                sent(DIRECT, 3, A, "after the unblock"),
                new MessagesDelivered(DIRECT, B, 3, t(10)), new MessagesRead(DIRECT, B, 3, t(11)));
        for (int i = 0; i < 2; i++) {
            batch(history.toArray());
            assertThat(receipts.receipts(DIRECT, 1).orElseThrow())
                    .isEqualTo(new MessageReceipts(1, 1, List.of(new Receipt(B, t(10))), List.of(new Receipt(B, t(11))),
                            "READ"));
            assertThat(receipts.receipts(DIRECT, 2).orElseThrow())
                    .isEqualTo(new MessageReceipts(2, 0, List.of(), List.of(), "SENT"));
            assertThat(receipts.receipts(DIRECT, 3).orElseThrow())
                    .isEqualTo(new MessageReceipts(3, 1, List.of(new Receipt(B, t(10))), List.of(new Receipt(B, t(11))),
                            "READ"));
            assertThat(unread(DIRECT, B)).isZero();
        }
    }

    @Test
    void applyingEveryEventTwiceChangesNothing() {
        batch(directHistory.toArray());
        Map<String, String> once = everything();

        batch(directHistory.toArray());                 // a replayed batch
        for (Object event : directHistory) {            // and each event alone, redelivered
            batch(event);
        }
        List<Object> doubled = new ArrayList<>();       // and duplicates inside one batch
        directHistory.forEach(e -> {
            doubled.add(e);
            doubled.add(e);
        });
        batch(doubled.toArray());

        assertThat(everything()).isEqualTo(once);
    }

    @Test
    void duplicatesInsideTheFirstBatchAreIgnoredToo() {
        List<Object> doubled = new ArrayList<>();
        directHistory.forEach(e -> {
            doubled.add(e);
            doubled.add(e);
        });
        batch(doubled.toArray());
        Map<String, String> fromDoubled = everything();

        setUp();
        batch(directHistory.toArray());
        assertThat(everything()).isEqualTo(fromDoubled);
    }

    @Test
    void nothingIsWrittenBeforeTheBatchCommits() {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        dispatch(directHistory.get(0));
        dispatch(directHistory.get(1));
        assertThat(summary(DIRECT)).isNull();
        unitOfWork.commit();
        assertThat(summary(DIRECT).lastSeq()).isEqualTo(1);
    }

    @Test
    void groupReceiptsReadByKOfN() {
        List<Object> events = List.of(
                new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0),
                sent(GROUP, 1, A, "1"), sent(GROUP, 2, A, "2"), sent(GROUP, 3, A, "3"),
                new MessagesDelivered(GROUP, B, 2, t(20)), new MessagesRead(GROUP, C, 3, t(21)));
        batch(events.toArray());
        batch(events.toArray());

        assertThat(receipts.receipts(GROUP, 3).orElseThrow())
                .isEqualTo(new MessageReceipts(3, 2, List.of(new Receipt(C, t(21))), List.of(new Receipt(C, t(21))), "SENT"));
        assertThat(receipts.receipts(GROUP, 2).orElseThrow())
                .isEqualTo(new MessageReceipts(2, 2, List.of(new Receipt(B, t(20)), new Receipt(C, t(21))),
                        List.of(new Receipt(C, t(21))), "DELIVERED"));
        assertThat(unread(GROUP, B)).isEqualTo(3);
        assertThat(unread(GROUP, C)).isZero();
        assertThat(receipts.receipts(GROUP, 9)).isEmpty();
    }

    @Test
    void membershipChangesAreTimelineEntriesAndMembersView() {
        batch(new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0), sent(GROUP, 1, B, "hi"),
                new MemberAdded(GROUP, 2, D, A, t(2)), new MemberRemoved(GROUP, 3, B, A, t(3)),
                new MemberLeft(GROUP, 4, A, t(4)), new AdminGranted(GROUP, 5, C, null, t(4)),
                new GroupRenamed(GROUP, 6, "Renamed", C, t(6)), sent(GROUP, 7, C, "after"));

        ConversationSummary s = summary(GROUP);
        var members = s.members();
        assertThat(members.keySet()).containsExactlyInAnyOrder(C, D);
        assertThat(members.get(C).role().name()).isEqualTo("ADMIN");
        assertThat(members.get(D).joinedSeq()).isEqualTo(2);
        assertThat(s.former().keySet()).containsExactlyInAnyOrder(A, B);
        assertThat(s.title()).isEqualTo("Renamed");
        assertThat(unread(GROUP, D)).isEqualTo(1); // "hi" came before D joined: only "after" is unread
        assertThat(unread(GROUP, C)).isZero();     // C wrote "after"
        assertThat(entries(GROUP, 0)).extracting(e -> e.entry().kind() + ":"
                        + (e.entry() instanceof Membership m ? m.action() : null))
                .containsExactly("MESSAGE:null", "MEMBERSHIP:ADDED", "MEMBERSHIP:REMOVED", "MEMBERSHIP:LEFT",
                        "MEMBERSHIP:ADMIN_GRANTED", "MEMBERSHIP:RENAMED", "MESSAGE:null");
        UserConversations.Entry convOfB = conv(B, GROUP);
        assertThat(convOfB.removedSeq()).isEqualTo(3);
        assertThat(convOfB.preview().text()).isEqualTo("hi");
    }

    @Test
    void historyEntriesCarryMentionsThroughEditsAndReactionsAndTwiceFedEvents() {
        List<Object> events = List.of(
                new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0),
                new MessageSent(GROUP, 1, GROUP + "#1", "cm-1", A, MessageType.TEXT, "hi @b @c", null, null, t(1),
                        List.of(B, C)),
                sent(GROUP, 2, B, "no mention"),
                new MessageSent(GROUP, 3, GROUP + "#3", "cm-3", B, MessageType.TEXT, "@a", null, null, t(3),
                        List.of(A)),
                new MessageEdited(GROUP, 4, 1, A, "hi @b @c, edited", t(4)),
                new ReactionChanged(GROUP, 5, 1, B, "👍", t(5)),
                new MessageDeleted(GROUP, 6, 3, B, t(6)));
        batch(events.toArray());
        Map<String, String> once = everything();

        assertThat(message(entries(GROUP, 0).get(0)).mentions()).containsExactly(B, C);
        assertThat(message(entries(GROUP, 0).get(0)).text()).isEqualTo("hi @b @c, edited");
        assertThat(message(entries(GROUP, 0).get(0)).reactions()).containsEntry(B, "👍");
        assertThat(message(entries(GROUP, 0).get(1)).mentions()).isEmpty();
        assertThat(message(entries(GROUP, 0).get(2)).deleted()).isTrue();
        assertThat(message(entries(GROUP, 0).get(2)).mentions()).as("a deleted message's content goes").isEmpty();

        batch(events.toArray());
        events.forEach(this::batch);
        assertThat(everything()).isEqualTo(once);
    }

    @Test
    void aBucketWrittenBeforeMentionsExistedReadsAsMentioningNoOne() {
        batch(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0),
                new MessageSent(GROUP, 1, GROUP + "#1", "cm-1", A, MessageType.TEXT, "@b", null, null, t(1),
                        List.of(B)));
        mongo.client().getDatabase("views").getCollection(ConversationCollections.BUCKETS)
                .updateOne(Filters.eq("_id", GROUP + ":0"), com.mongodb.client.model.Updates.unset("entries.0.mentions"));

        assertThat(message(entries(GROUP, 0).get(0)).mentions()).isEmpty();
        assertThat(message(entries(GROUP, 0).get(0)).text()).isEqualTo("@b");
    }

    @Test
    void editsDeletesAndReactionsFoldIntoTheirMessagesAcrossBuckets() {
        List<Object> events = new ArrayList<>();
        events.add(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0));
        for (int seq = 1; seq <= 70; seq++) {
            events.add(sent(GROUP, seq, seq % 2 == 0 ? A : B, "m" + seq));
        }
        events.add(new MessageEdited(GROUP, 71, 70, A, "m70 edited", t(80)));
        events.add(new ReactionChanged(GROUP, 72, 2, B, "👍", t(81)));
        events.add(new MessageDeleted(GROUP, 73, 4, A, t(82)));
        batch(events.subList(0, 40).toArray());
        batch(events.subList(40, events.size()).toArray());

        assertThat(entries(GROUP, 0)).hasSize(63);  // seqs 1..63
        assertThat(entries(GROUP, 1)).extracting(HistoryBucket.Entry::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(64, 73).boxed().toList());
        Message seq70 = entries(GROUP, 1).stream().filter(e -> e.seq() == 70).map(ConversationProjectionTest::message)
                .findFirst().orElseThrow();
        assertThat(seq70.text()).isEqualTo("m70 edited");
        assertThat(seq70.editedAt()).isNotNull();
        assertThat(message(entries(GROUP, 0).get(1)).reactions().get(B)).isEqualTo("👍");
        assertThat(message(entries(GROUP, 0).get(3)).deleted()).isTrue();
        assertThat(message(entries(GROUP, 0).get(3)).text()).isNull();
        assertThat(summary(GROUP).lastMessage().text()).isEqualTo("m70 edited");
        assertThat(summary(GROUP).lastSeq()).isEqualTo(73);
        assertThat(summary(GROUP).msgCount()).isEqualTo(70);
    }

    /** C is added at 3 and removed at 5, B removed at 7; then an admin edits, reacts to and deletes older messages. */
    private final List<Object> departures = List.of(
            new GroupCreated(GROUP, "Team", A, List.of(A, B), T0), sent(GROUP, 1, A, "one"), sent(GROUP, 2, A, "two"),
            new MemberAdded(GROUP, 3, C, A, t(3)), sent(GROUP, 4, A, "four"), new MemberRemoved(GROUP, 5, C, A, t(5)),
            sent(GROUP, 6, A, "six"), new MemberRemoved(GROUP, 7, B, A, t(7)),
            new MessageEdited(GROUP, 8, 4, A, "four edited", t(8)), new ReactionChanged(GROUP, 9, 4, A, "👍", t(9)),
            new MessageEdited(GROUP, 10, 6, A, "six edited", t(10)), new MessageDeleted(GROUP, 11, 1, A, t(11)));

    @Test
    void aFormerMembersViewOfOlderMessagesFreezesAtTheirDeparture() {
        batch(departures.toArray());
        Map<String, String> once = everything();
        batch(departures.toArray());
        departures.forEach(this::batch);
        assertThat(everything()).isEqualTo(once);

        ConversationSummary s = summary(GROUP);
        assertThat(s.former().get(C)).isEqualTo(new ConversationSummary.Former(5, t(5), 3));
        assertThat(s.former().get(B)).isEqualTo(new ConversationSummary.Former(7, t(7), 0));
        assertThat(s.visibleFrom(C)).isEqualTo(3);
        assertThat(s.visibleFrom(B)).isZero();
        assertThat(s.visibleFrom(D)).isEqualTo(-1);
        List<HistoryBucket.Entry> entries = entries(GROUP, 0);
        HistoryBucket.Entry four = entries.stream().filter(e -> e.seq() == 4).findFirst().orElseThrow();
        // as it stands now, for members
        assertThat(message(four).text()).isEqualTo("four edited");
        assertThat(message(four).reactions()).containsEntry(A, "👍");
        // as C (gone at 5) and B (gone at 7) saw it: unchanged, kept once (by the first change after each)
        assertThat(four.asOf().keySet()).containsExactly(5L, 7L);
        Message fourForC = (Message) four.seenUpTo(5);
        assertThat(fourForC.text()).isEqualTo("four");
        assertThat(fourForC.editedAt()).isNull();
        assertThat(fourForC.reactions()).isNullOrEmpty();
        assertThat(((Message) four.seenUpTo(7)).text()).isEqualTo("four");
        assertThat(four.seenUpTo(11)).isEqualTo(four.entry());
        HistoryBucket.Entry six = entries.stream().filter(e -> e.seq() == 6).findFirst().orElseThrow();
        assertThat(six.asOf().keySet()).containsExactly(7L);      // C never saw six
        assertThat(((Message) six.seenUpTo(7)).text()).isEqualTo("six");
        HistoryBucket.Entry one = entries.stream().filter(e -> e.seq() == 1).findFirst().orElseThrow();
        assertThat(message(one).deleted()).isTrue();
        assertThat(one.asOf().keySet()).containsExactly(7L);      // C joined after one
        assertThat(((Message) one.seenUpTo(7)).text()).isEqualTo("one");
        // B's inbox keeps "six" as it stood at B's removal, the summary moved on
        assertThat(conv(B, GROUP).preview().text()).isEqualTo("six");
        assertThat(s.lastMessage().text()).isEqualTo("six edited");
    }

    @Test
    void aRejoinedMemberIsVisibleFromTheirLatestJoining() {
        batch(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0), sent(GROUP, 1, A, "one"),
                new MemberRemoved(GROUP, 2, B, A, t(2)), sent(GROUP, 3, A, "three"),
                new MemberAdded(GROUP, 4, B, A, t(4)), sent(GROUP, 5, A, "five"), new MemberLeft(GROUP, 6, B, t(6)));
        assertThat(summary(GROUP).former().get(B)).isEqualTo(new ConversationSummary.Former(6, t(6), 4));
        assertThat(summary(GROUP).visibleFrom(B)).isEqualTo(4);
        assertThat(summary(GROUP).visibleUpTo(B)).isEqualTo(6);
    }

    @Test
    void readingLiftsDeliveredAndUnmuteClearsMute() {
        batch(directHistory.toArray());
        batch(new MessagesRead(DIRECT, B, 3, t(30)), new ConversationUnmuted(DIRECT, B, t(31)));
        ConversationSummary.Member memberB = summary(DIRECT).members().get(B);
        assertThat(memberB.delivered()).isEqualTo(3);
        assertThat(unread(DIRECT, B)).isZero();
        assertThat(conv(B, DIRECT).muted()).isFalse();
    }

    @Test
    void theReadMarksOfABatchAreOneUpdatePerUserWhateverTheNumberOfMessagesAndChats() {
        batch(new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0),
                new DirectConversationStarted(DIRECT, List.of(A, B), A, T0));
        mongo.takeUpdates();
        // A sends 3 messages in each of two chats and B reads the group: A's marks are the highest of its sends
        batch(sent(GROUP, 1, A, "g1"), sent(DIRECT, 1, A, "d1"), sent(GROUP, 2, A, "g2"), sent(DIRECT, 2, A, "d2"),
                sent(GROUP, 3, A, "g3"), new MessagesRead(GROUP, B, 3, t(20)), new MessagesRead(GROUP, B, 2, t(21)),
                sent(DIRECT, 3, A, "d3"));
        List<String> userUpdates = mongo.takeUpdates().stream()
                .filter(u -> u.startsWith(ConversationCollections.USERS + "/")).toList();
        assertThat(userUpdates).hasSize(2)
                .anyMatch(u -> u.contains("\"" + A + "\"")).anyMatch(u -> u.contains("\"" + B + "\""));
        assertThat(conv(A, GROUP).read()).isEqualTo(3);
        assertThat(conv(A, DIRECT).read()).isEqualTo(3);
        assertThat(conv(B, GROUP).read()).isEqualTo(3);
        assertThat(unread(GROUP, A)).isZero();
        assertThat(unread(GROUP, B)).isZero();
        assertThat(unread(DIRECT, B)).isEqualTo(3);
    }

    @Test
    void aDeletedMessagesEditsKeepNoTextAndUnreadCountsLeaveItOut() {
        List<Object> events = new ArrayList<>();
        events.add(new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0));
        events.add(sent(GROUP, 1, A, "secret"));
        for (int seq = 2; seq <= 66; seq++) {        // the edit lands in the next bucket
            events.add(sent(GROUP, seq, C, "filler " + seq));
        }
        events.add(new MessageEdited(GROUP, 67, 1, A, "secret, edited", t(67)));
        events.add(new MessagesRead(GROUP, C, 66, t(68)));
        events.add(new MessageDeleted(GROUP, 68, 1, A, t(69)));
        events.add(new MessageEdited(GROUP, 69, 1, A, "after the deletion", t(70)));
        batch(events.subList(0, 40).toArray());
        batch(events.subList(40, events.size()).toArray());
        Map<String, String> once = everything();
        batch(events.toArray());
        events.forEach(this::batch);
        assertThat(everything()).isEqualTo(once);

        List<io.parley.api.conversation.TimelineEntry.Edit> edits = entries(GROUP, 1).stream()
                .map(HistoryBucket.Entry::entry)
                .filter(io.parley.api.conversation.TimelineEntry.Edit.class::isInstance)
                .map(io.parley.api.conversation.TimelineEntry.Edit.class::cast).toList();
        assertThat(edits).extracting(io.parley.api.conversation.TimelineEntry.Edit::seq).containsExactly(67L, 69L);
        assertThat(edits).allSatisfy(edit -> {
            assertThat(edit.text()).isNull();
            assertThat(edit.senderId()).isEqualTo(A);
        });
        assertThat(everything().values()).noneMatch(doc -> doc.contains("secret") || doc.contains("after the"));
        // B read nothing: 66 messages, one deleted; C read up to 66 (the deleted one too); A wrote the deleted one
        assertThat(summary(GROUP).unread(B)).isEqualTo(65);
        assertThat(summary(GROUP).unread(C)).isZero();
        assertThat(summary(GROUP).unread(A)).isEqualTo(65);
        assertThat(summary(GROUP).deletedOrds()).containsExactly(1L);
    }

    @Test
    void deletedOrdinalsEveryMemberReadAreDropped() {
        batch(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0), sent(GROUP, 1, A, "one"),
                sent(GROUP, 2, A, "two"), sent(GROUP, 3, A, "three"), new MessagesRead(GROUP, B, 2, t(4)),
                new MessageDeleted(GROUP, 4, 3, A, t(5)));
        assertThat(summary(GROUP).deletedOrds()).containsExactly(3L);
        assertThat(summary(GROUP).unread(B)).isZero();  // "three" was all B had left, and it is gone
        batch(new MessagesRead(GROUP, B, 3, t(6)), new MessageDeleted(GROUP, 5, 1, A, t(7)));
        assertThat(summary(GROUP).deletedOrds()).isEmpty();
        assertThat(summary(GROUP).unread(B)).isZero();
        assertThat(summary(GROUP).unread(D)).isZero();
    }

    @Test
    void aForwardedCopyKeepsItsSourceThroughEditsReactionsAndTwiceFedEvents() {
        io.parley.api.conversation.ForwardedFrom source = new io.parley.api.conversation.ForwardedFrom(DIRECT, 2);
        List<Object> events = List.of(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0),
                new MessageSent(GROUP, 1, GROUP + "#1", "fw-1", A, MessageType.TEXT, "two", null, null, t(1),
                        List.of(), source),
                new ReactionChanged(GROUP, 2, 1, B, "👍", t(2)));
        batch(events.toArray());
        Map<String, String> once = everything();
        batch(events.toArray());
        events.forEach(this::batch);
        assertThat(everything()).isEqualTo(once);

        Message copy = message(entries(GROUP, 0).get(0));
        assertThat(copy.forwardedFrom()).isEqualTo(source);
        assertThat(copy.reactions()).containsEntry(B, "👍");
        assertThat(copy.text()).isEqualTo("two");
    }

    @Test
    void starsAndDeletionsForMeAreTheUsersOwnAndSurviveTwiceFedEvents() {
        List<Object> events = List.of(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0),
                sent(GROUP, 1, A, "one"), sent(GROUP, 2, A, "two"), sent(GROUP, 3, A, "three"),
                new MessageStarred(GROUP, B, 3, t(4)), new MessageStarred(GROUP, B, 1, t(5)),
                new MessageStarred(GROUP, B, 2, t(6)), new MessageUnstarred(GROUP, B, 2, t(7)),
                new MessageStarred(GROUP, A, 2, t(8)), new MessageDeletedForMe(GROUP, B, 1, t(9)));
        batch(events.toArray());
        Map<String, String> once = everything();
        batch(events.toArray());
        events.forEach(this::batch);
        assertThat(everything()).isEqualTo(once);

        assertThat(conv(B, GROUP).starred()).as("in starring order; deleted for me unstars").containsExactly(3L);
        assertThat(conv(B, GROUP).hidden()).containsExactly(1L);
        assertThat(conv(A, GROUP).starred()).containsExactly(2L);
        assertThat(conv(A, GROUP).hidden()).isEmpty();
        assertThat(message(entries(GROUP, 0).get(0)).text()).as("the others keep it").isEqualTo("one");
    }
}
