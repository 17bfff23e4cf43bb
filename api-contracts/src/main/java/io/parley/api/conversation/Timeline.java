package io.parley.api.conversation;

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
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import io.parley.api.conversation.TimelineEntry.Delete;
import io.parley.api.conversation.TimelineEntry.Edit;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.conversation.TimelineEntry.Membership.Action;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.api.conversation.TimelineEntry.Reaction;

/**
 * The one place where conversation events become timeline entries: the history projection stores these,
 * and live delivery sends them, so history pages, sync and live frames show the same entry for an event.
 */
public final class Timeline {
    private Timeline() {
    }

    /** As sent: nothing folded in yet (no edit time, no reactions). */
    public static Message of(MessageSent e) {
        return new Message(e.conversationId(), e.seq(), e.messageId(), e.clientMessageId(), e.senderId(), e.type(),
                e.text(), e.media(), e.replyTo(), e.sentAt(), null, false, null, e.mentions(), e.forwardedFrom());
    }

    public static Edit of(MessageEdited e) {
        return new Edit(e.conversationId(), e.seq(), e.editorId(), e.text(), e.messageSeq(), e.editedAt());
    }

    public static Delete of(MessageDeleted e) {
        return new Delete(e.conversationId(), e.seq(), e.messageSeq(), e.deletedBy(), e.deletedAt());
    }

    public static Reaction of(ReactionChanged e) {
        return new Reaction(e.conversationId(), e.seq(), e.messageSeq(), e.memberId(), e.emoji(), e.changedAt());
    }

    public static Membership of(DirectConversationStarted e) {
        return new Membership(e.conversationId(), 0, null, Action.CREATED, e.startedBy(), null, e.startedAt());
    }

    public static Membership of(GroupCreated e) {
        return new Membership(e.conversationId(), 0, null, Action.CREATED, e.creatorId(), e.title(), e.createdAt());
    }

    public static Membership of(GroupRenamed e) {
        return new Membership(e.conversationId(), e.seq(), null, Action.RENAMED, e.renamedBy(), e.title(),
                e.renamedAt());
    }

    public static Membership of(MemberAdded e) {
        return new Membership(e.conversationId(), e.seq(), e.memberId(), Action.ADDED, e.addedBy(), null,
                e.addedAt());
    }

    public static Membership of(MemberRemoved e) {
        return new Membership(e.conversationId(), e.seq(), e.memberId(), Action.REMOVED, e.removedBy(), null,
                e.removedAt());
    }

    public static Membership of(MemberLeft e) {
        return new Membership(e.conversationId(), e.seq(), e.memberId(), Action.LEFT, e.memberId(), null,
                e.leftAt());
    }

    public static Membership of(AdminGranted e) {
        return new Membership(e.conversationId(), e.seq(), e.memberId(), Action.ADMIN_GRANTED, e.grantedBy(), null,
                e.grantedAt());
    }

    public static Membership of(ConversationEvents.AdminRevoked e) {
        return new Membership(e.conversationId(), e.seq(), e.memberId(), Action.ADMIN_REVOKED, e.revokedBy(), null,
                e.revokedAt());
    }

    public static Membership of(ConversationEvents.GroupDescriptionChanged e) {
        return new Membership(e.conversationId(), e.seq(), null, Action.DESCRIPTION_CHANGED, e.changedBy(), null,
                e.changedAt(), e.description(), null, null);
    }

    public static Membership of(ConversationEvents.GroupAvatarChanged e) {
        return new Membership(e.conversationId(), e.seq(), null, Action.AVATAR_CHANGED, e.changedBy(), null,
                e.changedAt(), null, e.avatar(), null);
    }

    public static Membership of(ConversationEvents.AnnouncementModeChanged e) {
        return new Membership(e.conversationId(), e.seq(), null, Action.ANNOUNCEMENT_CHANGED, e.changedBy(), null,
                e.changedAt(), null, null, e.enabled());
    }
}
