package io.parley.query.conversation;

import io.parley.api.conversation.ConversationQueries.ConversationDetails;
import io.parley.api.conversation.ConversationQueries.InboxEntry;
import io.parley.api.conversation.ConversationQueries.MemberView;
import io.parley.api.conversation.ConversationQueries.MessagePreview;
import io.parley.projections.conversation.ConversationSummary;
import io.parley.projections.conversation.UserConversations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns the typed view documents (owned by {@code projections.conversation}) into the query records. */
final class ConversationDocuments {
    private ConversationDocuments() {
    }

    static List<MemberView> members(ConversationSummary summary) {
        List<MemberView> members = new ArrayList<>();
        summary.members().forEach((userId, member) -> members.add(new MemberView(userId, member.role())));
        return members;
    }

    static ConversationDetails details(ConversationSummary summary, String userId) {
        return new ConversationDetails(summary.id(), summary.type(), summary.title(), members(summary),
                summary.visibleUpTo(userId), summary.createdAt(), !summary.isMember(userId),
                summary.info().description(), summary.info().avatar(), summary.info().announcement());
    }

    /** The inbox line of {@code userId}; null when they neither belong nor left (nothing to show). */
    static InboxEntry inboxEntry(ConversationSummary summary, UserConversations.Entry mine, String userId,
                                 Instant now) {
        ConversationSummary.Member member = summary.members().get(userId);
        // nothing from before the user's (latest) joining, not even as the preview (docs/design.md, section 4)
        long from = summary.visibleFrom(userId);
        if (member != null) {
            boolean muted = mine.mutedAt(now);
            long unread = summary.unread(userId);
            MessagePreview last = summary.lastMessage();
            Instant activity = summary.lastActivityAt();
            MessagePreview own = mine.ownWithheld();
            if (own != null && (last == null || own.seq() > last.seq())) {
                // the caller's own message withheld from a blocker: shown to them as sent (README, Blocking)
                last = own;
                activity = activity == null || own.sentAt().isAfter(activity) ? own.sentAt() : activity;
            }
            return new InboxEntry(summary.id(), summary.type(), summary.title(), since(last, from), unread,
                    activity, muted, muted ? mine.mutedUntil() : null, summary.lastSeq(), false);
        }
        if (mine.removed()) {
            // a former member sees the conversation as it stood when they left
            return new InboxEntry(summary.id(), summary.type(), summary.title(), since(mine.preview(), from), 0,
                    mine.previewAt(),
                    false, null, mine.removedSeq(), true);
        }
        return null;
    }

    private static MessagePreview since(MessagePreview preview, long from) {
        return preview == null || preview.seq() < from ? null : preview;
    }
}
