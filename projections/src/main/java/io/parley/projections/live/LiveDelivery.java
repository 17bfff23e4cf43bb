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
import io.parley.api.conversation.ConversationEvents;
import io.parley.api.conversation.Timeline;
import io.parley.api.conversation.TimelineEntry;
import io.parley.projections.account.AccountViews;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
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
    private final AccountViews accounts;

    LiveDelivery(ConversationMembers members, LiveFrames sender, AccountViews accounts) {
        this.members = members;
        this.sender = sender;
        this.accounts = accounts;
    }

    /**
     * {@code except}: seqs up to {@code upToSeq} the watermark does not cover (messages withheld from {@code userId}
     * while they blocked the sender); absent when there are none, and never sent to {@code userId} themself.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ReceiptFrame(String conversationId, String userId, String kind, long upToSeq, Instant at,
                        List<Long> except) {
    }

    /**
     * A peer who blocked the one opening the chat is not told of it (README, Blocking): one read of the accounts
     * view, on a rare event.
     */
    @EventHandler
    void on(DirectConversationStarted e) {
        members.created(e.conversationId(), e.memberIds());
        List<String> audience = e.memberIds().stream().filter(m -> m.equals(e.startedBy())
                || accounts.account(m).map(peer -> !peer.blocks(e.startedBy())).orElse(true)).toList();
        sender.toUsers(audience, LiveQueue.MESSAGES, Timeline.of(e));
    }

    @EventHandler
    void on(GroupCreated e) {
        members.created(e.conversationId(), e.memberIds());
        sender.toUsers(e.memberIds(), LiveQueue.MESSAGES, Timeline.of(e));
    }

    @EventHandler
    void on(GroupRenamed e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(MemberAdded e) {
        // the newcomer is told too: their clients learn of the conversation live
        Set<String> audience = new HashSet<>(members.of(e.conversationId(), e.seq()));
        audience.add(e.memberId());
        members.added(e.conversationId(), e.memberId());
        members.routed(e.conversationId(), e.seq());
        sender.toUsers(audience, LiveQueue.MESSAGES, Timeline.of(e));
    }

    @EventHandler
    void on(MemberRemoved e) {
        departed(e.conversationId(), e.seq(), e.memberId(), Timeline.of(e));
    }

    @EventHandler
    void on(MemberLeft e) {
        departed(e.conversationId(), e.seq(), e.memberId(), Timeline.of(e));
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
        timeline(Timeline.of(e));
    }

    /** A message withheld from whoever blocked its sender is never framed to them (README, Blocking). */
    @EventHandler
    void on(ConversationEvents.AdminRevoked e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(ConversationEvents.GroupDescriptionChanged e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(ConversationEvents.GroupAvatarChanged e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(ConversationEvents.AnnouncementModeChanged e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(MessageSent e) {
        TimelineEntry frame = Timeline.of(e);
        Set<String> audience = new HashSet<>(members.of(frame.conversationId(), frame.seq()));
        members.routed(frame.conversationId(), frame.seq());
        audience.removeAll(e.withheldFrom());
        sender.toUsers(audience, LiveQueue.MESSAGES, frame);
    }

    @EventHandler
    void on(MessageEdited e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(MessageDeleted e) {
        timeline(Timeline.of(e));
    }

    @EventHandler
    void on(ReactionChanged e) {
        timeline(Timeline.of(e));
    }

    /**
     * Watermarks go to every member, the acknowledging member included: the sender sees its messages
     * delivered or read, and the member's other sessions learn that what was read on one device is read.
     */
    @EventHandler
    void on(MessagesDelivered e) {
        receipts(e.conversationId(), e.memberId(), "DELIVERED", e.upToSeq(), e.at(), e.withheld());
    }

    @EventHandler
    void on(MessagesRead e) {
        receipts(e.conversationId(), e.memberId(), "READ", e.upToSeq(), e.at(), e.withheld());
    }

    /**
     * A watermark raised after an unblock covers by seq what was withheld from its member meanwhile: the others (the
     * senders of those messages) are told which seqs it leaves out, so their ticks stay at "sent"; the member's own
     * devices get the plain watermark, which tells them nothing of what they never received (README, Blocking).
     */
    private void receipts(String cid, String memberId, String kind, long upToSeq, Instant at, List<Long> withheld) {
        Set<String> audience = members.of(cid);
        ReceiptFrame plain = new ReceiptFrame(cid, memberId, kind, upToSeq, at, null);
        if (withheld.isEmpty()) {
            sender.toUsers(audience, LiveQueue.RECEIPTS, plain);
            return;
        }
        Set<String> others = new HashSet<>(audience);
        boolean own = others.remove(memberId);
        sender.toUsers(others, LiveQueue.RECEIPTS, new ReceiptFrame(cid, memberId, kind, upToSeq, at, withheld));
        if (own) {
            sender.toUsers(Set.of(memberId), LiveQueue.RECEIPTS, plain);
        }
    }

    private void timeline(TimelineEntry frame) {
        Set<String> audience = members.of(frame.conversationId(), frame.seq());
        members.routed(frame.conversationId(), frame.seq());
        sender.toUsers(audience, LiveQueue.MESSAGES, frame);
    }
}
