package io.parley.query.conversation;

import io.parley.api.conversation.ConversationQueries.MemberView;
import io.parley.api.conversation.ConversationQueries.MessagePreview;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.MessageType;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Turns view documents (shapes in {@code ConversationCollections}) into the query records. */
final class ConversationDocuments {
    private ConversationDocuments() {
    }

    /**
     * The last seq {@code userId} may see: the conversation's last seq for members, the seq of their departure
     * for former members, -1 for accounts that never belonged (they are answered as if it did not exist).
     */
    static long visibleUpTo(Document summary, String userId) {
        if (summary == null || userId == null) {
            return -1;
        }
        if (summary.get("members", Document.class).containsKey(userId)) {
            return summary.getLong("lastSeq");
        }
        Document former = summary.get("former", Document.class).get(userId, Document.class);
        return former == null ? -1 : former.getLong("leftSeq");
    }

    static boolean isMember(Document summary, String userId) {
        return summary.get("members", Document.class).containsKey(userId);
    }

    static List<MemberView> members(Document summary) {
        List<MemberView> members = new ArrayList<>();
        summary.get("members", Document.class).forEach((userId, value) ->
                members.add(new MemberView(userId, MemberRole.valueOf(((Document) value).getString("role")))));
        return members;
    }

    static MessagePreview preview(Document preview) {
        if (preview == null) {
            return null;
        }
        return new MessagePreview(preview.getLong("seq"), preview.getString("senderId"),
                preview.getString("type") == null ? null : MessageType.valueOf(preview.getString("type")),
                preview.getString("text"), instant(preview.getDate("sentAt")), preview.getBoolean("deleted", false));
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
