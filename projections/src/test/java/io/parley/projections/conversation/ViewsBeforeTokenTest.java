package io.parley.projections.conversation;

import com.mongodb.client.model.Filters;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.MessageType;
import io.parley.projections.batching.EndOfBatchInterceptor;
import io.parley.projections.support.InMemoryMongo;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history view of a batch is stored before the processor stores the token past it (docs/design.md,
 * section 12): a real tracking processor, as the platform configures it (no transaction manager), over an
 * in-memory event store; at every token store, the view must already hold every message the token covers.
 * Written in a prepare-commit callback, the view came after the token, and a node killed in between lost the
 * batch.
 */
class ViewsBeforeTokenTest {
    private static final String A = "a-1", B = "b-1";
    private static final String DIRECT = ConversationIds.direct(A, B);
    private static final int MESSAGES = 60;

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();

    /** What the view held when the token reached an index: the token's index and the summary's last seq. */
    private record Stored(long tokenIndex, long viewSeq) {
    }

    @Test
    void everyTokenStoredIsCoveredByTheViewsAlreadyWritten() throws Exception {
        var database = mongo.client().getDatabase("views-before-token");
        database.drop();
        ConversationCollections collections = new ConversationCollections(database);
        ConversationProjection projection = new ConversationProjection(collections,
                SimpleQueryUpdateEmitter.builder().build());
        EmbeddedEventStore store = EmbeddedEventStore.builder()
                .storageEngine(new InMemoryEventStorageEngine()).build();
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        store.publish(GenericEventMessage.asEventMessage(new DirectConversationStarted(DIRECT, List.of(A, B), A, t0)));
        for (int seq = 1; seq <= MESSAGES; seq++) {
            store.publish(GenericEventMessage.asEventMessage(new MessageSent(DIRECT, seq, DIRECT + "#" + seq,
                    "cm-" + seq, A, MessageType.TEXT, "m" + seq, null, null, t0.plusSeconds(seq))));
        }
        List<Stored> stored = new CopyOnWriteArrayList<>();
        InMemoryTokenStore tokens = new InMemoryTokenStore() {
            @Override
            public void storeToken(TrackingToken token, String processorName, int segment) {
                ConversationSummary summary = collections.summaries().find(Filters.eq("_id", DIRECT)).first();
                if (token != null && token.position().isPresent()) {
                    stored.add(new Stored(token.position().getAsLong(), summary == null ? -1 : summary.lastSeq()));
                }
                super.storeToken(token, processorName, segment);
            }
        };
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(ConversationProjection.GROUP)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(projection).build())
                .messageSource(store)
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.instance())
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration
                        .forSingleThreadedProcessing().andBatchSize(7))
                .build();
        processor.registerHandlerInterceptor(new EndOfBatchInterceptor(projection));
        processor.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stored.stream().noneMatch(s -> s.tokenIndex() >= MESSAGES) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            processor.shutDown();
        }
        // index 0 is the conversation's start, index i the message of seq i
        assertThat(stored).as("the processor stored tokens").anyMatch(s -> s.tokenIndex() >= MESSAGES);
        assertThat(stored).allSatisfy(s -> assertThat(s.viewSeq())
                .as("the view when the token reached index %d", s.tokenIndex()).isGreaterThanOrEqualTo(s.tokenIndex()));
    }
}
