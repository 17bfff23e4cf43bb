package io.parley.projections.live;

import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import io.parley.api.conversation.ConversationQueries.TimelineEntry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns new conversation events into live frames for the members connected to this node (docs/design.md, section 5:
 * best effort and fast; the sync API is the reliable path). It runs in the {@value #GROUP} processor: a
 * tracking processor per node with its token in memory, starting at the head of the stream, woken by the
 * embedded event store when a unit of work commits, so it sees only stored events, in global order (hence in
 * seq order per conversation), without polling a read model or waiting on a timer.
 * <p>
 * Timeline frames carry the same {@link TimelineEntry} shape as history pages and sync, so a client applies
 * live frames and sync answers with one code path and dedups by seq. Routing reads members from
 * {@link ConversationMembers}, which these same handlers keep current.
 */
@Component
@ProcessingGroup(LiveDelivery.GROUP)
class LiveDelivery {
    static final String GROUP = LiveDeliveryConfiguration.PROCESSING_GROUP;

    private final ConversationMembers members;
    private final LiveFrames sender;

    LiveDelivery(ConversationMembers members, LiveFrames sender) {
        this.members = members;
        this.sender = sender;
    }

    record ReceiptFrame(String conversationId, String userId, String kind, long upToSeq, Instant at) {
    }

    @EventHandler
    void on(DirectConversationStarted e) {
        members.created(e.conversationId(), e.memberIds());
        sender.toUsers(e.memberIds(), LiveQueue.MESSAGES, membership(e.conversationId(), 0, "CREATED", null,
                e.startedBy(), null, e.startedAt()));
    }

    @EventHandler
    void on(GroupCreated e) {
        members.created(e.conversationId(), e.memberIds());
        sender.toUsers(e.memberIds(), LiveQueue.MESSAGES, membership(e.conversationId(), 0, "CREATED", null,
                e.creatorId(), e.title(), e.createdAt()));
    }

    @EventHandler
    void on(GroupRenamed e) {
        timeline(e.conversationId(), e.seq(), membership(e.conversationId(), e.seq(), "RENAMED", null, e.renamedBy(),
                e.title(), e.renamedAt()));
    }

    @EventHandler
    void on(MemberAdded e) {
        // the newcomer is told too: their clients learn of the conversation live
        Set<String> audience = new HashSet<>(members.of(e.conversationId(), e.seq()));
        audience.add(e.memberId());
        members.added(e.conversationId(), e.memberId());
        members.routed(e.conversationId(), e.seq());
        sender.toUsers(audience, LiveQueue.MESSAGES, membership(e.conversationId(), e.seq(), "ADDED", e.memberId(),
                e.addedBy(), null, e.addedAt()));
    }

    @EventHandler
    void on(MemberRemoved e) {
        departed(e.conversationId(), e.seq(), e.memberId(), membership(e.conversationId(), e.seq(), "REMOVED",
                e.memberId(), e.removedBy(), null, e.removedAt()));
    }

    @EventHandler
    void on(MemberLeft e) {
        departed(e.conversationId(), e.seq(), e.memberId(), membership(e.conversationId(), e.seq(), "LEFT",
                e.memberId(), e.memberId(), null, e.leftAt()));
    }

    /** The one who left is told too (their other devices), then stops receiving from this seq on. */
    private void departed(String cid, long seq, String memberId, TimelineEntry frame) {
        Set<String> audience = new HashSet<>(members.of(cid, seq));
        audience.add(memberId);
        members.removed(cid, memberId);
        members.routed(cid, seq);
        sender.toUsers(audience, LiveQueue.MESSAGES, frame);
    }

    @EventHandler
    void on(AdminGranted e) {
        timeline(e.conversationId(), e.seq(), membership(e.conversationId(), e.seq(), "ADMIN_GRANTED", e.memberId(),
                e.grantedBy(), null, e.grantedAt()));
    }

    @EventHandler
    void on(MessageSent e) {
        timeline(e.conversationId(), e.seq(), new TimelineEntry("MESSAGE", e.conversationId(), e.seq(), e.messageId(),
                e.clientMessageId(), e.senderId(), e.type(), e.text(), e.media(), e.replyTo(), e.sentAt(), null,
                false, null, null, null, null, null, null, null, null));
    }

    @EventHandler
    void on(MessageEdited e) {
        timeline(e.conversationId(), e.seq(), new TimelineEntry("EDIT", e.conversationId(), e.seq(), null, null,
                e.editorId(), null, e.text(), null, null, null, null, null, null, e.messageSeq(), null, null, null,
                null, null, e.editedAt()));
    }

    @EventHandler
    void on(MessageDeleted e) {
        timeline(e.conversationId(), e.seq(), new TimelineEntry("DELETE", e.conversationId(), e.seq(), null, null,
                null, null, null, null, null, null, null, null, null, e.messageSeq(), null, null, null, e.deletedBy(),
                null, e.deletedAt()));
    }

    @EventHandler
    void on(ReactionChanged e) {
        timeline(e.conversationId(), e.seq(), new TimelineEntry("REACTION", e.conversationId(), e.seq(), null, null,
                null, null, null, null, null, null, null, null, null, e.messageSeq(), e.memberId(), e.emoji(), null,
                null, null, e.changedAt()));
    }

    /**
     * Watermarks go to every member, the acknowledging member included: the sender sees its messages
     * delivered or read, and the member's other sessions learn that what was read on one device is read.
     */
    @EventHandler
    void on(MessagesDelivered e) {
        sender.toUsers(members.of(e.conversationId()), LiveQueue.RECEIPTS,
                new ReceiptFrame(e.conversationId(), e.memberId(), "DELIVERED", e.upToSeq(), e.at()));
    }

    @EventHandler
    void on(MessagesRead e) {
        sender.toUsers(members.of(e.conversationId()), LiveQueue.RECEIPTS,
                new ReceiptFrame(e.conversationId(), e.memberId(), "READ", e.upToSeq(), e.at()));
    }

    private void timeline(String cid, long seq, TimelineEntry frame) {
        Set<String> audience = members.of(cid, seq);
        members.routed(cid, seq);
        sender.toUsers(audience, LiveQueue.MESSAGES, frame);
    }

    private static TimelineEntry membership(String cid, long seq, String action, String memberId, String actorId,
                                            String title, Instant at) {
        return new TimelineEntry("MEMBERSHIP", cid, seq, null, null, null, null, null, null, null, null, null, null,
                null, null, memberId, null, action, actorId, title, at);
    }
}
