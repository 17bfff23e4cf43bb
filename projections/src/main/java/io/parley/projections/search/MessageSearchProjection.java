package io.parley.projections.search;

import com.mongodb.client.MongoDatabase;
import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageDeletedForMe;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.projections.search.MessageIndex.Fields;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code message-search} processor: every message into the Elasticsearch index behind the {@code messages}
 * alias (edits and deletes included), receipt latency on the message documents, and the membership intervals
 * searches are restricted by. Handlers only record changes in the batch's {@link SearchBatch};
 * {@link SearchBatchInterceptor} writes it once per Axon batch.
 * <p>
 * Ordering, not versions, keeps it idempotent: one segment handles events in event-store order, and a replayed
 * tail re-applies the same overwrites in the same order. (External versioning by seq would not help: edits,
 * deletes and receipts are partial updates, which Elasticsearch cannot version externally.)
 * A deleted message keeps its document with {@code deleted: true} and its text emptied: searches exclude it,
 * while the analyst's volumes still count what was sent.
 */
@Component
@ProcessingGroup(MessageSearchProjection.PROCESSING_GROUP)
public class MessageSearchProjection {

    public static final String PROCESSING_GROUP = "message-search";
    static final String BATCH_RESOURCE = MessageSearchProjection.class.getName() + ".batch";

    private final MessageIndex index;
    private final MongoDatabase database;
    private final SearchIndexProperties properties;
    /** The generation being written; re-read after a reset. Only the processor's thread writes it. */
    private volatile String writeIndex;

    public MessageSearchProjection(MessageIndex index, MongoDatabase database, SearchIndexProperties properties) {
        this.index = index;
        this.database = database;
        this.properties = properties;
    }

    @EventHandler
    void on(MessageSent e) {
        Map<String, Object> doc = new HashMap<>();
        doc.put(Fields.KEY, MessageIndex.documentId(e.conversationId(), e.seq()));
        doc.put(Fields.CONVERSATION_ID, e.conversationId());
        doc.put(Fields.SEQ, e.seq());
        doc.put(Fields.MESSAGE_ID, e.messageId());
        doc.put(Fields.SENDER_ID, e.senderId());
        doc.put(Fields.MENTIONS, e.mentions());
        if (!e.withheldFrom().isEmpty()) {
            doc.put(Fields.HIDDEN_FROM, e.withheldFrom());
        }
        doc.put(Fields.TYPE, e.type().name());
        doc.put(Fields.TEXT, e.text() == null ? "" : e.text());
        doc.put(Fields.SENT_AT, e.sentAt().toString());
        doc.put(Fields.DELETED, false);
        if (e.replyTo() != null) {
            doc.put(Fields.REPLY_TO, e.replyTo());
        }
        if (e.media() != null) {
            doc.put(Fields.MEDIA_KIND, e.media().kind().name());
            doc.put(Fields.MEDIA_CONTENT_TYPE, e.media().contentType());
            doc.put(Fields.MEDIA_SIZE, e.media().size());
            if (e.media().fileName() != null) {
                doc.put(Fields.FILE_NAME, e.media().fileName());
            }
        }
        SearchBatch batch = batch();
        batch.index(MessageIndex.documentId(e.conversationId(), e.seq()), doc);
        // a withheld message is never delivered (README, Blocking): no receipt latency waits for it
        if (e.withheldFrom().isEmpty()
                && batch.pending(e.conversationId()).add(e.seq(), e.sentAt(), e.senderId(), batch.pendingCap())) {
            batch.pendingChanged(e.conversationId());
        }
    }

    /**
     * Account deletion: the texts and file names of the account's messages become {@code [erased]} now; a replay
     * reads them erased from the event store anyway (README, Account deletion).
     */
    @EventHandler
    void on(AccountDeleted e) {
        batch().eraseSender(e.accountId());
    }

    @EventHandler
    void on(MessageEdited e) {
        batch().update(MessageIndex.documentId(e.conversationId(), e.messageSeq()),
                Map.of(Fields.TEXT, e.text(), Fields.EDITED_AT, e.editedAt().toString(), Fields.CHANGED_SEQ, e.seq()));
    }

    @EventHandler
    void on(MessageDeleted e) {
        SearchBatch batch = batch();
        batch.update(MessageIndex.documentId(e.conversationId(), e.messageSeq()),
                Map.of(Fields.DELETED, true, Fields.TEXT, "", Fields.EDITED_AT, e.deletedAt().toString(),
                        Fields.CHANGED_SEQ, e.seq()));
        if (batch.pending(e.conversationId()).forget(e.messageSeq())) {
            batch.pendingChanged(e.conversationId());
        }
    }

    /** Deleted for one member: their searches leave it out, everyone else still finds it. */
    @EventHandler
    void on(MessageDeletedForMe e) {
        SearchBatch batch = batch();
        if (SearchMemberships.hide(batch.membership(e.memberId()),
                MessageIndex.documentId(e.conversationId(), e.messageSeq()))) {
            batch.membershipChanged(e.memberId());
        }
    }

    @EventHandler
    void on(MessagesDelivered e) {
        SearchBatch batch = batch();
        if (delivered(batch, e.conversationId(), e.memberId(), e.upToSeq(), e.at())) {
            batch.pendingChanged(e.conversationId());
        }
    }

    @EventHandler
    void on(MessagesRead e) {
        SearchBatch batch = batch();
        // reading implies having received: a read watermark also passes messages never acknowledged as delivered
        boolean changed = delivered(batch, e.conversationId(), e.memberId(), e.upToSeq(), e.at());
        changed |= batch.pending(e.conversationId()).read(e.memberId(), e.upToSeq(), e.at(), (seq, ms) ->
                batch.update(MessageIndex.documentId(e.conversationId(), seq),
                        Map.of(Fields.READ_AT, e.at().toString(), Fields.READ_MS, ms)));
        if (changed) {
            batch.pendingChanged(e.conversationId());
        }
    }

    private static boolean delivered(SearchBatch batch, String conversationId, String memberId, long upToSeq,
                                     Instant at) {
        return batch.pending(conversationId).delivered(memberId, upToSeq, at, (seq, ms) ->
                batch.update(MessageIndex.documentId(conversationId, seq),
                        Map.of(Fields.DELIVERED_AT, at.toString(), Fields.DELIVERED_MS, ms)));
    }

    @EventHandler
    void on(GroupCreated e) {
        e.memberIds().forEach(member -> join(e.conversationId(), member, 0));
    }

    @EventHandler
    void on(DirectConversationStarted e) {
        e.memberIds().forEach(member -> join(e.conversationId(), member, 0));
    }

    @EventHandler
    void on(MemberAdded e) {
        join(e.conversationId(), e.memberId(), e.seq());
    }

    @EventHandler
    void on(MemberRemoved e) {
        leave(e.conversationId(), e.memberId(), e.seq());
    }

    @EventHandler
    void on(MemberLeft e) {
        leave(e.conversationId(), e.memberId(), e.seq());
    }

    private void join(String conversationId, String userId, long since) {
        SearchBatch batch = batch();
        if (SearchMemberships.open(batch.membership(userId), conversationId, since)) {
            batch.membershipChanged(userId);
        }
    }

    private void leave(String conversationId, String userId, long until) {
        SearchBatch batch = batch();
        if (SearchMemberships.close(batch.membership(userId), conversationId, until)) {
            batch.membershipChanged(userId);
        }
    }

    /**
     * A rebuild: a new index generation (with fresh state collections) receives the replay while searches keep
     * reading the current one; {@link #afterBatch} moves the read alias once the replay is over.
     */
    @ResetHandler
    void reset() {
        writeIndex = index.startRebuild();
    }

    /** The write alias was moved under this projection (a replay swapped in its rebuilt generation). */
    void writeIndexMoved() {
        writeIndex = null;
    }

    /** The batch of the current unit of work, opened (and its state prefetched) by the first event handled. */
    private SearchBatch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            SearchBatch batch = new SearchBatch(index, database, currentWriteIndex(), properties.maxPendingReceipts());
            if (unitOfWork instanceof BatchingUnitOfWork<?> batching) {
                prefetch(batch, batching.getMessages());
            }
            // safety net for units of work the interceptor does not end (e.g. a dead letter retried on its own)
            unitOfWork.onPrepareCommit(u -> batch.flush());
            return batch;
        });
    }

    private static void prefetch(SearchBatch batch, List<? extends Message<?>> messages) {
        Set<String> users = new LinkedHashSet<>();
        Set<String> conversations = new LinkedHashSet<>();
        // pending-receipts heads and the chunks the events' seqs fall in: usually all a batch touches
        Set<String> pendingIds = new LinkedHashSet<>();
        for (Message<?> message : messages) {
            Object p = message.getPayload();
            if (p instanceof MessageSent e) {
                pending(conversations, pendingIds, e.conversationId(), e.seq());
            } else if (p instanceof MessagesDelivered e) {
                pending(conversations, pendingIds, e.conversationId(), e.upToSeq());
            } else if (p instanceof MessagesRead e) {
                pending(conversations, pendingIds, e.conversationId(), e.upToSeq());
            } else if (p instanceof MessageDeleted e) {
                pending(conversations, pendingIds, e.conversationId(), e.messageSeq());
            } else if (p instanceof GroupCreated e) {
                users.addAll(e.memberIds());
            } else if (p instanceof DirectConversationStarted e) {
                users.addAll(e.memberIds());
            } else if (p instanceof MemberAdded e) {
                users.add(e.memberId());
            } else if (p instanceof MemberRemoved e) {
                users.add(e.memberId());
            } else if (p instanceof MemberLeft e) {
                users.add(e.memberId());
            } else if (p instanceof MessageDeletedForMe e) {
                users.add(e.memberId());
            }
        }
        batch.prefetch(users, conversations, pendingIds);
    }

    private static void pending(Set<String> conversations, Set<String> pendingIds, String conversationId, long seq) {
        conversations.add(conversationId);
        pendingIds.add(conversationId);
        pendingIds.add(PendingReceipts.chunkId(conversationId, seq / PendingReceipts.CHUNK));
    }

    /**
     * Called by {@link SearchBatchInterceptor} after the last event of a batch: writes the batch, then, once a
     * rebuild has caught up with the live stream, lets searches read the new generation.
     */
    void afterBatch(UnitOfWork<? extends EventMessage<?>> unitOfWork, boolean replaying) {
        SearchBatch batch = unitOfWork.root().getResource(BATCH_RESOURCE);
        if (batch != null) {
            batch.flush();
        }
        if (!replaying && rebuildPending()) {
            index.promoteWriteIndex();
        }
    }

    private boolean rebuildPending() {
        return !currentWriteIndex().equals(index.readIndex());
    }

    private String currentWriteIndex() {
        String current = writeIndex;
        if (current == null) {
            current = index.writeIndex();
            writeIndex = current;
        }
        return current;
    }
}
