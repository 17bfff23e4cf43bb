package io.parley.query.conversation;

import io.parley.projections.support.InMemoryMongo;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationQueries.*;
import io.parley.api.conversation.MessageType;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.receipt.ReceiptQueries.MessageReceiptsQuery;
import io.parley.projections.conversation.ConversationCollections;
import io.parley.projections.conversation.ConversationProjection;
import io.parley.projections.account.AccountViews;
import io.parley.projections.conversation.ConversationViews;
import io.parley.query.presence.BlockRelations;
import io.parley.query.presence.PresenceProperties;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationQueryHandlersTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String A = "a-1", B = "b-1", C = "c-1", D = "d-1", OUTSIDER = "z-1";
    private static final String GROUP = "g-1";
    private static final String DIRECT = ConversationIds.direct(A, B);

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private ConversationCollections collections;
    private AnnotationEventHandlerAdapter projection;
    private ConversationQueryHandlers queries;
    private BlockRelations blocks;
    private ConversationViewAwaiter awaiter;


    @BeforeEach
    void setUp() {
        var database = mongo.client().getDatabase("queries");
        database.drop();
        collections = new ConversationCollections(database);
        SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
        projection = new AnnotationEventHandlerAdapter(new ConversationProjection(collections, emitter));
        blocks = new BlockRelations(new AccountViews(database),
                new PresenceProperties(Duration.ofMinutes(1), 1000, Duration.ofMinutes(10)));
        queries = new ConversationQueryHandlers(new ConversationViews(collections), blocks);
        SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
        new AnnotationQueryHandlerAdapter<>(queries).subscribe(bus);
        awaiter = new ConversationViewAwaiter(DefaultQueryGateway.builder().queryBus(bus).build());
    }

    private void feed(Object... events) {
        for (Object event : events) {
            try {
                projection.handle(GenericEventMessage.asEventMessage(event));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static MessageSent sent(String cid, long seq, String sender) {
        return new MessageSent(cid, seq, cid + "#" + seq, "cm-" + seq, sender, MessageType.TEXT, "m" + seq, null,
                null, T0.plusSeconds(seq));
    }

    private void group(int messages) {
        feed(new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0));
        for (long seq = 1; seq <= messages; seq++) {
            feed(sent(GROUP, seq, seq % 2 == 0 ? A : B));
        }
    }

    private static List<Long> seqs(MessagePage page) {
        return page.messages().stream().map(TimelineEntry::seq).toList();
    }

    @Test
    void inboxIsOrderedByActivityWithUnreadAndMute() {
        feed(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(DIRECT, 1, A));
        group(3); // group activity at T0+3s, newer than the direct chat's T0+1s
        feed(new MessagesRead(GROUP, C, 1, T0.plusSeconds(9)), new ConversationMuted(GROUP, C, null, T0));

        Inbox inboxOfB = queries.handle(new InboxQuery(B));
        assertThat(inboxOfB.conversations()).extracting(InboxEntry::id).containsExactly(GROUP, DIRECT);
        assertThat(inboxOfB.conversations().get(1).unreadCount()).isEqualTo(1);
        assertThat(inboxOfB.conversations().get(0).unreadCount()).isZero(); // B wrote m3, so read all before it
        assertThat(inboxOfB.conversations().get(0).lastMessage().text()).isEqualTo("m3");
        InboxEntry ofC = queries.handle(new InboxQuery(C)).conversations().get(0);
        assertThat(ofC.unreadCount()).isEqualTo(2);
        assertThat(ofC.muted()).isTrue();
        assertThat(queries.handle(new InboxQuery(OUTSIDER)).conversations()).isEmpty();
    }

    @Test
    void nonMembersSeeNothing() {
        group(3);
        assertThat(queries.handle(new ConversationQuery(GROUP, OUTSIDER))).isEmpty();
        assertThat(queries.handle(new MessagesQuery(GROUP, OUTSIDER, null, null, null))).isEmpty();
        assertThat(queries.handle(new MessageReceiptsQuery(GROUP, OUTSIDER, 1))).isEmpty();
        assertThat(queries.handle(new ConversationQuery("nope", A))).isEmpty();
        ConversationDetails details = queries.handle(new ConversationQuery(GROUP, B)).orElseThrow();
        assertThat(details.members()).extracting(MemberView::userId).containsExactly(A, B, C);
        assertThat(details.members().get(0).role().name()).isEqualTo("ADMIN");
    }

    @Test
    void pagesDescendByDefaultAndWithBeforeAndAscendWithAfter() {
        group(300);
        MessagePage newest = queries.handle(new MessagesQuery(GROUP, A, null, null, 3)).orElseThrow();
        assertThat(seqs(newest)).containsExactly(300L, 299L, 298L);
        assertThat(newest.hasMore()).isTrue();
        assertThat(seqs(queries.handle(new MessagesQuery(GROUP, A, null, 130L, 3)).orElseThrow()))
                .containsExactly(129L, 128L, 127L);
        MessagePage after = queries.handle(new MessagesQuery(GROUP, A, 62L, null, 4)).orElseThrow();
        assertThat(seqs(after)).containsExactly(63L, 64L, 65L, 66L);
        MessagePage tail = queries.handle(new MessagesQuery(GROUP, A, 297L, null, 10)).orElseThrow();
        assertThat(seqs(tail)).containsExactly(298L, 299L, 300L);
        assertThat(tail.hasMore()).isFalse();
        MessagePage capped = queries.handle(new MessagesQuery(GROUP, A, 0L, null, 1000)).orElseThrow();
        assertThat(capped.messages()).hasSize(MessagesQuery.MAX_LIMIT);
        assertThat(seqs(capped)).isEqualTo(LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(capped.hasMore()).isTrue();
        MessagePage first = queries.handle(new MessagesQuery(GROUP, A, null, 3L, 50)).orElseThrow();
        assertThat(seqs(first)).containsExactly(2L, 1L);
        assertThat(first.hasMore()).isFalse();
    }

    @Test
    void historyFoldsEditsAndReactionsButKeepsMembershipNotices() {
        group(2);
        feed(new MessageEdited(GROUP, 3, 1, B, "edited", T0), new ReactionChanged(GROUP, 4, 2, B, "x", T0),
                new MemberAdded(GROUP, 5, "d-1", A, T0));
        MessagePage page = queries.handle(new MessagesQuery(GROUP, A, 0L, null, 10)).orElseThrow();
        assertThat(page.messages()).extracting(TimelineEntry::kind).containsExactly("MESSAGE", "MESSAGE", "MEMBERSHIP");
        assertThat(((TimelineEntry.Message) page.messages().get(0)).text()).isEqualTo("edited");
        assertThat(((TimelineEntry.Message) page.messages().get(1)).reactions()).containsEntry(B, "x");
    }

    @Test
    void aRemovedMemberSeesHistoryOnlyUpToRemoval() {
        group(3);
        feed(new MemberRemoved(GROUP, 4, C, A, T0.plusSeconds(4)), sent(GROUP, 5, A), sent(GROUP, 6, B));
        MessagePage page = queries.handle(new MessagesQuery(GROUP, C, null, null, 50)).orElseThrow();
        assertThat(seqs(page)).containsExactly(4L, 3L, 2L, 1L);
        assertThat(queries.handle(new MessagesQuery(GROUP, C, 3L, null, 50)).orElseThrow().messages())
                .extracting(TimelineEntry::seq).containsExactly(4L);
        InboxEntry entry = queries.handle(new InboxQuery(C)).conversations().get(0);
        assertThat(entry.removed()).isTrue();
        assertThat(entry.lastMessage().text()).isEqualTo("m3");
        assertThat(queries.handle(new MessageReceiptsQuery(GROUP, C, 5))).isEmpty();
        SyncResult sync = queries.handle(new SyncQuery(C, Map.of(GROUP, 2L), null));
        assertThat(sync.conversations().get(0).entries()).extracting(TimelineEntry::seq).containsExactly(3L, 4L);
        assertThat(sync.conversations().get(0).removed()).isTrue();
    }

    @Test
    void aLateJoinerSeesNothingFromBeforeTheirJoining() {
        group(4);
        feed(new MessagesRead(GROUP, C, 4, T0.plusSeconds(9)), new MemberAdded(GROUP, 5, D, A, T0.plusSeconds(10)));

        assertThat(seqs(queries.handle(new MessagesQuery(GROUP, D, null, null, 50)).orElseThrow())).containsExactly(5L);
        assertThat(seqs(queries.handle(new MessagesQuery(GROUP, D, 0L, null, 50)).orElseThrow())).containsExactly(5L);
        assertThat(seqs(queries.handle(new MessagesQuery(GROUP, D, null, 5L, 50)).orElseThrow())).isEmpty();
        SyncResult fresh = queries.handle(new SyncQuery(D, null, null));
        assertThat(fresh.conversations().get(0).entries()).extracting(TimelineEntry::seq).containsExactly(5L);
        assertThat(fresh.conversations().get(0).upToSeq()).isEqualTo(5);
        SyncResult claimed = queries.handle(new SyncQuery(D, Map.of(GROUP, 1L), null));
        assertThat(claimed.conversations().get(0).entries()).extracting(TimelineEntry::seq).containsExactly(5L);
        assertThat(queries.handle(new MessageReceiptsQuery(GROUP, D, 1))).isEmpty();
        assertThat(queries.handle(new MessageReceiptsQuery(GROUP, C, 1))).isPresent();
        InboxEntry inbox = queries.handle(new InboxQuery(D)).conversations().get(0);
        assertThat(inbox.lastMessage()).isNull();
        assertThat(inbox.unreadCount()).isZero();

        feed(sent(GROUP, 6, A));
        assertThat(seqs(queries.handle(new MessagesQuery(GROUP, D, null, null, 50)).orElseThrow()))
                .containsExactly(6L, 5L);
        assertThat(queries.handle(new InboxQuery(D)).conversations().get(0).lastMessage().text()).isEqualTo("m6");
        assertThat(queries.handle(new MessageReceiptsQuery(GROUP, D, 6))).isPresent();
    }

    @Test
    void aRejoinedMemberSeesTheirLatestIntervalOnly() {
        group(2);
        feed(new MemberRemoved(GROUP, 3, C, A, T0.plusSeconds(3)), sent(GROUP, 4, A),
                new MemberAdded(GROUP, 5, C, A, T0.plusSeconds(5)), sent(GROUP, 6, A),
                new MemberLeft(GROUP, 7, C, T0.plusSeconds(7)), sent(GROUP, 8, A));
        assertThat(seqs(queries.handle(new MessagesQuery(GROUP, C, null, null, 50)).orElseThrow()))
                .containsExactly(7L, 6L, 5L);
        InboxEntry inbox = queries.handle(new InboxQuery(C)).conversations().get(0);
        assertThat(inbox.lastMessage().text()).isEqualTo("m6");
        assertThat(inbox.lastSeq()).isEqualTo(7);
    }

    @Test
    void aRemovedMembersViewFreezesAtTheRemoval() {
        group(3);
        feed(new MemberRemoved(GROUP, 4, C, A, T0.plusSeconds(4)),
                new MessageEdited(GROUP, 5, 3, A, "m3 edited", T0.plusSeconds(5)),
                new ReactionChanged(GROUP, 6, 2, A, "x", T0.plusSeconds(6)),
                new MessageDeleted(GROUP, 7, 1, A, T0.plusSeconds(7)));

        List<TimelineEntry> forC = queries.handle(new MessagesQuery(GROUP, C, null, null, 50)).orElseThrow().messages();
        assertThat(forC).extracting(TimelineEntry::seq).containsExactly(4L, 3L, 2L, 1L);
        TimelineEntry.Message m3 = (TimelineEntry.Message) forC.get(1);
        assertThat(m3.text()).isEqualTo("m3");
        assertThat(m3.editedAt()).isNull();
        assertThat(((TimelineEntry.Message) forC.get(2)).reactions()).isNullOrEmpty();
        assertThat(((TimelineEntry.Message) forC.get(3)).deleted()).isFalse();
        assertThat(((TimelineEntry.Message) forC.get(3)).text()).isEqualTo("m1");
        SyncResult sync = queries.handle(new SyncQuery(C, null, null));
        assertThat(sync.conversations().get(0).entries()).extracting(TimelineEntry::seq)
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(((TimelineEntry.Message) sync.conversations().get(0).entries().get(2)).text()).isEqualTo("m3");
        assertThat(queries.handle(new ConversationQuery(GROUP, C)).orElseThrow().lastSeq()).isEqualTo(4);
        InboxEntry inbox = queries.handle(new InboxQuery(C)).conversations().get(0);
        assertThat(inbox.lastSeq()).isEqualTo(4);
        assertThat(inbox.lastMessage().text()).isEqualTo("m3");

        // members see the changes
        List<TimelineEntry> forB = queries.handle(new MessagesQuery(GROUP, B, null, null, 50)).orElseThrow().messages();
        assertThat(((TimelineEntry.Message) forB.get(1)).text()).isEqualTo("m3 edited");
        assertThat(((TimelineEntry.Message) forB.get(3)).deleted()).isTrue();
        assertThat(queries.handle(new ConversationQuery(GROUP, B)).orElseThrow().lastSeq()).isEqualTo(7);
    }

    @Test
    void syncReturnsEverythingAfterTheClientsSeqsIncludingNewConversationsPaginated() {
        group(100);
        feed(new MessageEdited(GROUP, 101, 1, B, "edited", T0));
        feed(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(DIRECT, 1, B));

        SyncResult first = queries.handle(new SyncQuery(A, Map.of(GROUP, 40L), 50));
        assertThat(first.hasMore()).isTrue();
        Map<String, Long> since = new HashMap<>(Map.of(GROUP, 40L));
        Map<String, List<Long>> received = new HashMap<>();
        SyncResult page = first;
        int rounds = 0;
        while (true) {
            for (SyncedConversation conversation : page.conversations()) {
                conversation.entries().forEach(e -> received.computeIfAbsent(conversation.id(), k -> new java.util.ArrayList<>()).add(e.seq()));
                since.put(conversation.id(), conversation.upToSeq());
            }
            if (!page.hasMore() || ++rounds > 10) {
                break;
            }
            page = queries.handle(new SyncQuery(A, since, 50));
        }
        assertThat(received.get(GROUP)).isEqualTo(LongStream.rangeClosed(41, 101).boxed().toList());
        assertThat(received.get(DIRECT)).containsExactly(1L);
        assertThat(queries.handle(new SyncQuery(A, since, 50)).conversations()).isEmpty();
    }

    @Test
    void receiptsAndReadYourWrites() {
        group(3);
        feed(new MessagesDelivered(GROUP, C, 3, T0.plusSeconds(20)));
        var receipts = queries.handle(new MessageReceiptsQuery(GROUP, B, 2)).orElseThrow();
        assertThat(receipts.recipients()).isEqualTo(2);
        assertThat(receipts.delivered()).extracting(r -> r.userId()).containsExactlyInAnyOrder(B, C);
        assertThat(queries.handle(new ConversationViewReachedQuery(GROUP, 3))).isTrue();
        assertThat(queries.handle(new ConversationViewReachedQuery(GROUP, 4))).isFalse();
        assertThat(awaiter.await(GROUP, 3, Duration.ofMillis(50))).isTrue();
        assertThat(awaiter.await(GROUP, 4, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void aConversationTheViewsDoNotHoldHasNotReachedItsCreation() {
        // POST /api/conversations waits for seq 0 of a new chat: that must wait for the summary to exist
        assertThat(queries.handle(new ConversationViewReachedQuery("not-yet-projected", 0))).isFalse();
        assertThat(awaiter.await("not-yet-projected", 0, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void aWaiterIsWokenByTheProjectionOnceItsSeqIsWritten() throws Exception {
        group(3);
        long start = System.nanoTime();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() ->
                awaiter.await(GROUP, 5, Duration.ofSeconds(20)));
        Thread.sleep(200);
        feed(sent(GROUP, 4, A));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();            // seq 4 is not enough
        feed(sent(GROUP, 5, B));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void deletedForMeLeavesTheUsersHistoryAndSyncWithItsChangesAndStarsListWhatIsLeft() {
        feed(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0), sent(GROUP, 1, A), sent(GROUP, 2, A),
                new MessageEdited(GROUP, 3, 1, A, "m1 edited", T0.plusSeconds(3)),
                new ReactionChanged(GROUP, 4, 1, A, "x", T0.plusSeconds(4)), sent(GROUP, 5, A),
                new MessageStarred(GROUP, B, 1, T0), new MessageStarred(GROUP, B, 2, T0),
                new MessageStarred(GROUP, B, 5, T0), new MessageDeletedForMe(GROUP, B, 1, T0),
                new MessageDeleted(GROUP, 6, 5, A, T0.plusSeconds(6)));

        MessagePage bobs = queries.handle(new MessagesQuery(GROUP, B, null, null, null)).orElseThrow();
        assertThat(bobs.messages()).extracting(TimelineEntry::seq).containsExactly(5L, 2L);
        MessagePage anns = queries.handle(new MessagesQuery(GROUP, A, null, null, null)).orElseThrow();
        assertThat(anns.messages()).extracting(TimelineEntry::seq).containsExactly(5L, 2L, 1L);

        SyncedConversation synced = queries.handle(new SyncQuery(B, Map.of(GROUP, 0L), null)).conversations().get(0);
        assertThat(synced.entries()).extracting(TimelineEntry::seq).as("the message, its edit and reaction left out")
                .containsExactly(2L, 5L, 6L);
        assertThat(synced.upToSeq()).isEqualTo(6);
        assertThat(synced.hasMore()).isFalse();

        // 1 deleted for B, 5 deleted for everyone: only 2 is left
        assertThat(queries.handle(new StarredMessagesQuery(B)).messages()).extracting(TimelineEntry::seq)
                .containsExactly(2L);
        assertThat(queries.handle(new StarredMessagesQuery(A)).messages()).isEmpty();
        assertThat(queries.handle(new StarredMessagesQuery(OUTSIDER)).messages()).isEmpty();
    }

    @Test
    void starredMessagesAreSeenAsTheUserSeesThemAndNewestFirst() {
        feed(new GroupCreated(GROUP, "Team", A, List.of(A, B), T0), sent(GROUP, 1, A), sent(GROUP, 2, A),
                new MessageStarred(GROUP, B, 1, T0), new MessageStarred(GROUP, B, 2, T0),
                new MemberRemoved(GROUP, 3, B, A, T0.plusSeconds(3)),
                new MessageEdited(GROUP, 4, 2, A, "m2 edited after B left", T0.plusSeconds(4)),
                new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(DIRECT, 1, A),
                new MessageStarred(DIRECT, B, 1, T0));

        List<TimelineEntry.Message> starred = queries.handle(new StarredMessagesQuery(B)).messages();
        assertThat(starred).extracting(m -> m.conversationId() + ":" + m.seq())
                .as("newest first; sent at the same instant: by conversation id")
                .containsExactly(GROUP + ":2", DIRECT + ":1", GROUP + ":1");
        assertThat(starred.get(0).text()).as("frozen at B's removal").isEqualTo("m2");
    }
}
