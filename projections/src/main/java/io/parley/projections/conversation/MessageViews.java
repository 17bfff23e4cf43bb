package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import io.parley.api.conversation.ConversationQueries.MessagePreview;
import io.parley.api.conversation.Timeline;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.projections.conversation.ConversationSummary.Member;

/**
 * Messages and what changes them, applied to a {@link ConversationViewBatch}: each is a timeline entry, and
 * edits, deletes and reactions are also folded into the message they change (so a history page shows
 * messages as they stand) and into the summary's preview.
 */
final class MessageViews {
    static final int PREVIEW_LENGTH = 120;

    private MessageViews() {
    }

    static void on(ConversationViewBatch batch, MessageSent e) {
        String cid = e.conversationId();
        if (!e.withheldFrom().isEmpty()) {
            withheld(batch, e);
            return;
        }
        ConversationSummary s = batch.timeline(cid, e.seq(), e.sentAt());
        if (s == null) {
            return;
        }
        long ord = s.msgCount() + 1;
        Message message = Timeline.of(e);
        batch.append(message, ord);
        batch.put(s.withMessage(e.seq(), ord, preview(message)));
        Member sender = batch.member(cid, e.senderId());
        if (sender != null) {
            // sending counts as having read everything up to one's own message (a reply shows the read)
            batch.putMember(cid, e.senderId(), sender,
                    sender.read(e.seq(), e.sentAt()).delivered(e.seq(), e.sentAt()).withReadOrd(ord));
        }
        batch.readUpTo(e.senderId(), cid, e.seq());
    }

    /**
     * A message withheld from whoever blocked its sender (README, Blocking): it takes its seq in the history,
     * hidden from them, and nothing the conversation shows everyone moves: no message count (unread), no preview,
     * no activity time (the inbox order), no last message seq. Only its sender's views hold it, their inbox preview
     * and order included (their own user document).
     */
    private static void withheld(ConversationViewBatch batch, MessageSent e) {
        ConversationSummary before = batch.summary(e.conversationId());
        if (before == null || batch.timeline(e.conversationId(), e.seq(), before.lastActivityAt()) == null) {
            return;
        }
        Message message = Timeline.of(e);
        batch.append(message, 0, e.withheldFrom());
        // the sender's own inbox shows it as their last message, as a delivered one would be: nothing gives the block away
        batch.user(e.senderId(), UserConversationsCodec.ownWithheld(e.conversationId(), preview(message)));
    }

    static void on(ConversationViewBatch batch, MessageEdited e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.editedAt());
        if (s == null) {
            return;
        }
        HistoryBucket.Entry before = batch.messageEntry(e.conversationId(), e.messageSeq());
        boolean deleted = before != null && ((Message) before.entry()).deleted();
        // an edit of a message deleted for everyone (the aggregate refuses those; older stores may hold one)
        // keeps no text: the deletion took the content out of the read model
        batch.append(deleted ? Timeline.of(e).withoutText() : Timeline.of(e), 0);
        Message target = batch.fold(e.conversationId(), e.messageSeq(), e.seq(),
                m -> m.deleted() ? m : m.edited(e.text(), e.editedAt()));
        refreshPreview(batch, s, target);
    }

    static void on(ConversationViewBatch batch, MessageDeleted e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.deletedAt());
        if (s == null) {
            return;
        }
        batch.append(Timeline.of(e), 0);
        HistoryBucket.Entry before = batch.messageEntry(e.conversationId(), e.messageSeq());
        // deleted for everyone: the content leaves the read model, the tombstone keeps the seq, and the EDIT
        // entries between them lose their text too (else history and sync would still show it)
        refreshPreview(batch, s, batch.fold(e.conversationId(), e.messageSeq(), e.seq(),
                Message::deletedForEveryone));
        batch.scrubEdits(e.conversationId(), e.messageSeq(), e.seq());
        if (before != null && !((Message) before.entry()).deleted()) {
            // nothing left to read: unread counts leave it out
            batch.put(batch.summary(e.conversationId()).withDeleted(before.ord()));
        }
    }

    static void on(ConversationViewBatch batch, ReactionChanged e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.changedAt());
        if (s == null) {
            return;
        }
        batch.append(Timeline.of(e), 0);
        batch.fold(e.conversationId(), e.messageSeq(), e.seq(),
                m -> m.deleted() ? m : m.reacted(e.memberId(), e.emoji()));
    }

    private static void refreshPreview(ConversationViewBatch batch, ConversationSummary s, Message target) {
        if (target != null && s.lastMessage() != null && s.lastMessage().seq() == target.seq()) {
            batch.put(s.withLastMessage(preview(target)));
        }
    }

    private static MessagePreview preview(Message message) {
        String text = message.text();
        if (text != null && text.length() > PREVIEW_LENGTH) {
            text = text.substring(0, PREVIEW_LENGTH);
        }
        return new MessagePreview(message.seq(), message.senderId(), message.type(), text, message.sentAt(),
                message.deleted());
    }
}
