package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.parley.api.conversation.ConversationCommands.MessageChanged;
import io.parley.api.conversation.ConversationCommands.SendResult;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * The Conversation aggregate's state and the event-sourcing handlers that evolve it; {@link Conversation}
 * adds the command handlers that decide. The state is what the rules need and nothing else, split by job:
 * the {@link Roster} (members with role, join order and receipt watermarks, mute flags), the
 * {@link MessageLog} (timeline seqs, which seqs are messages or deleted, recent authors for the edit and
 * delete windows), the {@link SendLog} and {@link ChangeLog} (results of recent sends and of recent edits,
 * deletions and reactions, for idempotent retries) and the
 * {@link PersonalMarks} (what each member starred or deleted for themselves).
 * <p>
 * Fields are read by Jackson directly so snapshots need no getters that would widen the class's surface;
 * the accessors below are for the command handlers and invisible to Jackson.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
abstract class ConversationState {
    @AggregateIdentifier
    private String id;
    private ConversationType type;
    private String title;
    private Roster roster = new Roster();
    private MessageLog log = new MessageLog();
    private SendLog sends = new SendLog();
    private ChangeLog changes = new ChangeLog();
    private PersonalMarks marks = new PersonalMarks();
    private Invites invites = new Invites();
    /** In an announcement group only admins send. */
    private boolean announcement;

    String id() {
        return id;
    }

    ConversationType type() {
        return type;
    }

    String title() {
        return title;
    }

    Roster roster() {
        return roster;
    }

    MessageLog log() {
        return log;
    }

    SendLog sends() {
        return sends;
    }

    ChangeLog changes() {
        return changes;
    }

    PersonalMarks marks() {
        return marks;
    }

    Invites invites() {
        return invites;
    }

    boolean announcement() {
        return announcement;
    }

    // ---------------------------------------------------------------- event sourcing (state only)

    @EventSourcingHandler
    void on(DirectConversationStarted event) {
        id = event.conversationId();
        type = ConversationType.DIRECT;
        event.memberIds().forEach(memberId -> roster.join(memberId, MemberRole.MEMBER, log.lastMessageSeq()));
    }

    @EventSourcingHandler
    void on(GroupCreated event) {
        id = event.conversationId();
        type = ConversationType.GROUP;
        title = event.title();
        for (String memberId : event.memberIds()) {
            MemberRole role = memberId.equals(event.creatorId()) ? MemberRole.ADMIN : MemberRole.MEMBER;
            roster.join(memberId, role, log.lastMessageSeq());
        }
    }

    @EventSourcingHandler
    void on(GroupRenamed event) {
        log.advance(event.seq());
        title = event.title();
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        log.advance(event.seq());
        roster.join(event.memberId(), MemberRole.MEMBER, log.lastMessageSeq());
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        log.advance(event.seq());
        roster.remove(event.memberId());
    }

    @EventSourcingHandler
    void on(MemberLeft event) {
        log.advance(event.seq());
        roster.remove(event.memberId());
    }

    @EventSourcingHandler
    void on(AdminGranted event) {
        log.advance(event.seq());
        roster.promote(event.memberId());
    }

    @EventSourcingHandler
    void on(AdminRevoked event) {
        log.advance(event.seq());
        roster.demote(event.memberId());
    }

    @EventSourcingHandler
    void on(GroupDescriptionChanged event) {
        log.advance(event.seq());
    }

    @EventSourcingHandler
    void on(GroupAvatarChanged event) {
        log.advance(event.seq());
    }

    @EventSourcingHandler
    void on(AnnouncementModeChanged event) {
        log.advance(event.seq());
        announcement = event.enabled();
    }

    @EventSourcingHandler
    void on(InviteCreated event) {
        invites.created(event.inviteHash(), event.maxUses(), event.expiresAt());
    }

    @EventSourcingHandler
    void on(InviteRevoked event) {
        invites.revoked(event.inviteHash());
    }

    @EventSourcingHandler
    void on(InviteUsed event) {
        invites.used(event.inviteHash());
    }

    @EventSourcingHandler
    void on(MessageSent event) {
        log.messageSent(event.seq(), event.senderId(), event.sentAt(), event.withheldFrom());
        sends.record(event.senderId(),
                new SendResult(id, event.clientMessageId(), event.seq(), event.messageId(), event.sentAt(),
                        event.mentions()));
        // sending counts as having read (and so received) everything up to one's own message
        roster.raiseWatermarks(event.senderId(), event.seq(), event.seq());
    }

    @EventSourcingHandler
    void on(MessageEdited event) {
        log.advance(event.seq());
        changes.record(event.editorId(), event.clientMessageId(),
                new MessageChanged(id, event.messageSeq(), event.seq()));
    }

    @EventSourcingHandler
    void on(MessageDeleted event) {
        log.messageDeleted(event.seq(), event.messageSeq());
        changes.record(event.deletedBy(), event.clientMessageId(),
                new MessageChanged(id, event.messageSeq(), event.seq()));
    }

    @EventSourcingHandler
    void on(ReactionChanged event) {
        log.advance(event.seq());
        changes.record(event.memberId(), event.clientMessageId(),
                new MessageChanged(id, event.messageSeq(), event.seq()));
    }

    @EventSourcingHandler
    void on(MessageStarred event) {
        marks.star(event.memberId(), event.messageSeq());
    }

    @EventSourcingHandler
    void on(MessageUnstarred event) {
        marks.unstar(event.memberId(), event.messageSeq());
    }

    @EventSourcingHandler
    void on(MessageDeletedForMe event) {
        marks.hide(event.memberId(), event.messageSeq());
    }

    @EventSourcingHandler
    void on(MessagesDelivered event) {
        roster.raiseWatermarks(event.memberId(), event.upToSeq(), 0);
    }

    @EventSourcingHandler
    void on(MessagesRead event) {
        // reading implies receiving: the read watermark lifts the delivered one
        roster.raiseWatermarks(event.memberId(), event.upToSeq(), event.upToSeq());
    }

    @EventSourcingHandler
    void on(ConversationMuted event) {
        roster.mute(event.memberId());
    }

    @EventSourcingHandler
    void on(ConversationUnmuted event) {
        roster.unmute(event.memberId());
    }
}
