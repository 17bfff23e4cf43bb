package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.MessageDeletedForMe;
import io.parley.api.conversation.ConversationEvents.MessageStarred;
import io.parley.api.conversation.ConversationEvents.MessageUnstarred;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.projections.conversation.ConversationSummary.Member;

/**
 * Receipt watermarks, mute state and each user's own marks (stars, deleted for me): no seq, state, not timeline;
 * applied to a {@link ConversationViewBatch}. Watermarks only rise and marks are set updates, so replays change
 * nothing.
 */
final class WatermarkViews {
    private WatermarkViews() {
    }

    static void on(ConversationViewBatch batch, MessagesDelivered e) {
        Member member = batch.member(e.conversationId(), e.memberId());
        if (member != null) {
            batch.putMember(e.conversationId(), e.memberId(), member, member.delivered(e.upToSeq(), e.at()));
        }
    }

    static void on(ConversationViewBatch batch, MessagesRead e) {
        String cid = e.conversationId();
        Member member = batch.member(cid, e.memberId());
        if (member != null) {
            Member read = member.read(e.upToSeq(), e.at());
            if (read != member) {
                read = read.delivered(e.upToSeq(), e.at());
                HistoryBucket.Entry target = batch.messageEntry(cid, e.upToSeq());
                if (target != null) {
                    read = read.withReadOrd(Math.max(read.readOrd(), target.ord()));
                }
                batch.putMember(cid, e.memberId(), member, read);
            }
        }
        batch.readUpTo(e.memberId(), cid, e.upToSeq());
    }

    static void on(ConversationViewBatch batch, MessageStarred e) {
        batch.user(e.memberId(), UserConversationsCodec.starred(e.conversationId(), e.messageSeq()));
    }

    static void on(ConversationViewBatch batch, MessageUnstarred e) {
        batch.user(e.memberId(), UserConversationsCodec.unstarred(e.conversationId(), e.messageSeq()));
    }

    static void on(ConversationViewBatch batch, MessageDeletedForMe e) {
        batch.user(e.memberId(), UserConversationsCodec.hidden(e.conversationId(), e.messageSeq()));
    }

    static void on(ConversationViewBatch batch, ConversationMuted e) {
        batch.user(e.memberId(), UserConversationsCodec.muted(e.conversationId(), e.until()));
    }

    static void on(ConversationViewBatch batch, ConversationUnmuted e) {
        batch.user(e.memberId(), UserConversationsCodec.unmuted(e.conversationId()));
    }
}
