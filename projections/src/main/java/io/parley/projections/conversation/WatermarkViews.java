package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.projections.conversation.ConversationSummary.Member;

/**
 * Receipt watermarks and mute state (no seq: state, not timeline), applied to a {@link ConversationViewBatch}.
 * Watermarks only rise, so replays change nothing.
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

    static void on(ConversationViewBatch batch, ConversationMuted e) {
        batch.user(e.memberId(), UserConversationsCodec.muted(e.conversationId(), e.until()));
    }

    static void on(ConversationViewBatch batch, ConversationUnmuted e) {
        batch.user(e.memberId(), UserConversationsCodec.unmuted(e.conversationId()));
    }
}
