package io.parley.projections.conversation;

import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.AdminRevoked;
import io.parley.api.conversation.ConversationEvents.AnnouncementModeChanged;
import io.parley.api.conversation.ConversationEvents.GroupAvatarChanged;
import io.parley.api.conversation.ConversationEvents.GroupDescriptionChanged;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessageDeletedForMe;
import io.parley.api.conversation.ConversationEvents.MessageStarred;
import io.parley.api.conversation.ConversationEvents.MessageUnstarred;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationQueries.ConversationViewReachedQuery;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import io.parley.projections.batching.BatchedProjection;
import io.parley.projections.batching.EndOfBatchInterceptor;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the inbox, history and members views (processing group {@value #GROUP}). Each handler applies its
 * event to the batch of the current unit of work; the batch is written once, after the last event of the
 * processor's batch ({@link EndOfBatchInterceptor}), before the processor stores its token (docs/design.md,
 * section 12).
 */
@Component
@ProcessingGroup(ConversationProjection.GROUP)
public class ConversationProjection implements BatchedProjection {
    public static final String GROUP = "conversation-views";
    private static final String BATCH_RESOURCE = ConversationProjection.class.getName() + ".batch";

    private final ConversationCollections collections;
    private final QueryUpdateEmitter updates;

    public ConversationProjection(ConversationCollections collections, QueryUpdateEmitter updates) {
        this.collections = collections;
        this.updates = updates;
    }

    private void apply(Consumer<ConversationViewBatch> change) {
        if (!CurrentUnitOfWork.isStarted()) {
            // outside a processor (tools, tests): a batch of one
            ConversationViewBatch batch = new ConversationViewBatch(collections);
            change.accept(batch);
            flush(batch);
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        ConversationViewBatch batch = root.getOrComputeResource(BATCH_RESOURCE, key -> {
            ConversationViewBatch created = new ConversationViewBatch(collections);
            if (root instanceof BatchingUnitOfWork<?> processorBatch) {
                created.prefetchSummaries(conversationsOf(processorBatch.getMessages()));
            }
            // for units of work the interceptor does not end (a dead letter retried on its own): a no-op after it
            root.onPrepareCommit(unitOfWork -> flush(created));
            return created;
        });
        change.accept(batch);
    }

    /**
     * The conversations a processor's batch touches, from the events' aggregate identifiers: no payload is
     * deserialized for it (the handlers do that anyway, for the events they take).
     */
    static Set<String> conversationsOf(List<? extends Message<?>> messages) {
        Set<String> cids = new LinkedHashSet<>();
        for (Message<?> message : messages) {
            if (message instanceof DomainEventMessage<?> event
                    && ConversationIds.AGGREGATE_TYPE.equals(event.getType())) {
                cids.add(event.getAggregateIdentifier());
            }
        }
        return cids;
    }

    @Override
    public void endBatch(UnitOfWork<? extends EventMessage<?>> unitOfWork) {
        ConversationViewBatch batch = unitOfWork.root().getResource(BATCH_RESOURCE);
        if (batch != null) {
            flush(batch);
        }
    }

    /**
     * Writes the batch, then tells read-your-writes waiters ({@link ConversationViewReachedQuery}
     * subscriptions) which seqs the views now hold. Inside a unit of work the emitter sends once it has
     * committed, so a waiter never hears of a seq whose batch could still roll back.
     */
    private void flush(ConversationViewBatch batch) {
        batch.flush().forEach((cid, lastSeq) -> updates.emit(ConversationViewReachedQuery.class,
                query -> query.conversationId().equals(cid) && query.seq() <= lastSeq, Boolean.TRUE));
    }

    @EventHandler
    void on(DirectConversationStarted event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(GroupCreated event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(GroupRenamed event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(MemberAdded event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(MemberRemoved event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(MemberLeft event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(AdminGranted event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(AdminRevoked event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(GroupDescriptionChanged event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(GroupAvatarChanged event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(AnnouncementModeChanged event) {
        apply(batch -> MembershipViews.on(batch, event));
    }

    @EventHandler
    void on(MessageSent event) {
        apply(batch -> MessageViews.on(batch, event));
    }

    @EventHandler
    void on(MessageEdited event) {
        apply(batch -> MessageViews.on(batch, event));
    }

    @EventHandler
    void on(MessageDeleted event) {
        apply(batch -> MessageViews.on(batch, event));
    }

    @EventHandler
    void on(ReactionChanged event) {
        apply(batch -> MessageViews.on(batch, event));
    }

    /** Account deletion: the account's texts and file names in every view become {@code [erased]} now. */
    @EventHandler
    void on(AccountDeleted event) {
        apply(batch -> batch.eraseAuthor(event.accountId()));
    }

    @EventHandler
    void on(MessagesDelivered event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    @EventHandler
    void on(MessagesRead event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    @EventHandler
    void on(MessageStarred event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    @EventHandler
    void on(MessageUnstarred event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    @EventHandler
    void on(MessageDeletedForMe event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    @EventHandler
    void on(ConversationMuted event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    @EventHandler
    void on(ConversationUnmuted event) {
        apply(batch -> WatermarkViews.on(batch, event));
    }

    /** A reset replays from the first event: the views are rebuilt from nothing. */
    @ResetHandler
    void reset() {
        collections.drop();
    }
}
