package io.parley.query.conversation;

import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationQueries.*;
import io.parley.api.conversation.MessageType;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.MessageReceiptsQuery;
import io.parley.projections.conversation.ConversationCollections;
import io.parley.projections.conversation.ConversationProjection;
import io.parley.projections.account.AccountViews;
import io.parley.projections.conversation.ConversationViews;
import io.parley.query.presence.BlockRelations;
import io.parley.query.presence.PresenceProperties;
import io.parley.projections.support.InMemoryMongo;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages withheld from a blocker (README, Blocking), through the conversation projection (every event applied
 * twice, as a redelivery would) and the query handlers: the sender's history, sync and receipts hold them; the
 * blocker's history, sync, inbox and receipts never show them, and their seqs are passed over, not holes.
 */
class WithheldMessagesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String A = "a-1", B = "b-1";
    private static final String DIRECT = ConversationIds.direct(A, B);

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private AnnotationEventHandlerAdapter projection;
    private ConversationQueryHandlers queries;
    private BlockRelations blocks;

    @BeforeEach
    void setUp() {
        var database = mongo.client().getDatabase("withheld");
        database.drop();
        ConversationCollections collections = new ConversationCollections(database);
        projection = new AnnotationEventHandlerAdapter(new ConversationProjection(collections,
                SimpleQueryUpdateEmitter.builder().build()));
        blocks = new BlockRelations(new AccountViews(database),
                new PresenceProperties(Duration.ofMinutes(1), 1000, Duration.ofMinutes(10)));
        queries = new ConversationQueryHandlers(new ConversationViews(collections), blocks);
    }

    private void feedTwice(Object... events) {
        for (int round = 0; round < 2; round++) {
            for (Object event : events) {
                try {
                    projection.handle(GenericEventMessage.asEventMessage(event));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Through Axon's adapter, as the live processor delivers block events (the handlers are package-private). */
    private void blockEvent(Object event) {
        try {
            new AnnotationEventHandlerAdapter(blocks).handle(GenericEventMessage.asEventMessage(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageSent sent(long seq, String sender, List<String> withheldFrom) {
        return new MessageSent(DIRECT, seq, DIRECT + "#" + seq, "cm-" + seq, sender, MessageType.TEXT, "m" + seq,
                null, null, T0.plusSeconds(seq), List.of(), withheldFrom);
    }

    /** B blocked A after message 1; A sent 2 and 3 while blocked; B unblocked; A sent 4. */
    private void history() {
        feedTwice(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(1, A, List.of()),
                sent(2, A, List.of(B)), sent(3, A, List.of(B)), sent(4, A, List.of()),
                new MessagesRead(DIRECT, B, 4, T0.plusSeconds(10)));
    }

    private static List<Long> seqs(List<TimelineEntry> entries) {
        return entries.stream().map(TimelineEntry::seq).toList();
    }

    @Test
    void theSendersHistoryHoldsWithheldMessagesAndTheBlockersNever() {
        history();
        assertThat(seqs(queries.handle(new MessagesQuery(DIRECT, A, null, null, null)).orElseThrow().messages()))
                .containsExactly(4L, 3L, 2L, 1L);
        assertThat(seqs(queries.handle(new MessagesQuery(DIRECT, B, null, null, null)).orElseThrow().messages()))
                .containsExactly(4L, 1L);
        assertThat(seqs(queries.handle(new MessagesQuery(DIRECT, B, 1L, null, null)).orElseThrow().messages()))
                .containsExactly(4L);
        MessagePage page = queries.handle(new MessagesQuery(DIRECT, B, null, null, 1)).orElseThrow();
        assertThat(seqs(page.messages())).containsExactly(4L);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void theBlockersSyncPassesOverWithheldSeqsWithoutShowingThem() {
        history();
        SyncedConversation ofB = queries.handle(new SyncQuery(B, Map.of(DIRECT, 1L), null)).conversations().get(0);
        assertThat(seqs(ofB.entries())).containsExactly(4L);
        assertThat(ofB.upToSeq()).isEqualTo(4);
        assertThat(ofB.hasMore()).isFalse();
        SyncedConversation ofA = queries.handle(new SyncQuery(A, Map.of(DIRECT, 1L), null)).conversations().get(0);
        assertThat(seqs(ofA.entries())).containsExactly(2L, 3L, 4L);
        // a sync cut inside the withheld run still moves the blocker's position on
        SyncedConversation cut = queries.handle(new SyncQuery(B, Map.of(DIRECT, 1L), 2)).conversations().get(0);
        assertThat(cut.entries()).isEmpty();
        assertThat(cut.upToSeq()).isEqualTo(3);
        assertThat(cut.hasMore()).isTrue();
    }

    @Test
    void withheldMessagesCountForNoOnesInboxAndStaySentForGood() {
        feedTwice(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(1, A, List.of()),
                sent(2, A, List.of(B)));
        InboxEntry ofB = queries.handle(new InboxQuery(B)).conversations().get(0);
        assertThat(ofB.unreadCount()).isEqualTo(1);
        assertThat(ofB.lastMessage().seq()).isEqualTo(1);
        assertThat(ofB.lastActivityAt()).isEqualTo(T0.plusSeconds(1));
        // the sender's inbox shows their withheld message as the last one, as if it had gone through
        InboxEntry ofA = queries.handle(new InboxQuery(A)).conversations().get(0);
        assertThat(ofA.lastMessage().seq()).isEqualTo(2);
        assertThat(ofA.lastMessage().text()).isEqualTo("m2");
        assertThat(ofA.lastActivityAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(ofA.unreadCount()).isZero();

        history();
        assertThat(queries.handle(new MessageReceiptsQuery(DIRECT, B, 2))).isEmpty();
        MessageReceipts withheld = queries.handle(new MessageReceiptsQuery(DIRECT, A, 2)).orElseThrow();
        // B's read watermark (4) covers seq 2, yet B was never given it
        assertThat(withheld.recipients()).isZero();
        assertThat(withheld.read()).isEmpty();
        assertThat(withheld.state()).isEqualTo("SENT");
        assertThat(queries.handle(new MessageReceiptsQuery(DIRECT, A, 4)).orElseThrow().state()).isEqualTo("READ");
        assertThat(queries.handle(new InboxQuery(B)).conversations().get(0).unreadCount()).isZero();
        assertThat(queries.handle(new InboxQuery(A)).conversations().get(0).unreadCount()).isZero();
        // a message that went through (seq 4) is newer than the sender's last withheld one (3): it is the preview
        assertThat(queries.handle(new InboxQuery(A)).conversations().get(0).lastMessage().seq()).isEqualTo(4);
        assertThat(queries.handle(new InboxQuery(B)).conversations().get(0).lastMessage().seq()).isEqualTo(4);
    }

    @Test
    void aChatTheBlockedUserOpensLeavesNoTraceWithTheBlockerUntilTheUnblock() {
        blockEvent(new io.parley.api.account.AccountEvents.UserBlocked(B, A, T0));
        feedTwice(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(1, A, List.of(B)));

        assertThat(queries.handle(new InboxQuery(B)).conversations()).isEmpty();
        assertThat(queries.handle(new ConversationQuery(DIRECT, B))).isEmpty();
        assertThat(queries.handle(new MessagesQuery(DIRECT, B, null, null, null))).isEmpty();
        assertThat(queries.handle(new SyncQuery(B, Map.of(), null)).conversations()).isEmpty();
        assertThat(queries.handle(new InboxQuery(A)).conversations()).extracting(InboxEntry::id).containsExactly(DIRECT);
        assertThat(queries.handle(new ConversationQuery(DIRECT, A))).isPresent();

        blockEvent(new io.parley.api.account.AccountEvents.UserUnblocked(B, A, T0));
        assertThat(queries.handle(new InboxQuery(B)).conversations()).extracting(InboxEntry::id).containsExactly(DIRECT);
        assertThat(queries.handle(new MessagesQuery(DIRECT, B, null, null, null)).orElseThrow().messages()).isEmpty();
    }

    @Test
    void aChatWithMessagesTheBlockerSawStaysInTheirInbox() {
        blockEvent(new io.parley.api.account.AccountEvents.UserBlocked(B, A, T0));
        feedTwice(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0), sent(1, A, List.of()));
        assertThat(queries.handle(new InboxQuery(B)).conversations()).extracting(InboxEntry::id).containsExactly(DIRECT);
    }
}
