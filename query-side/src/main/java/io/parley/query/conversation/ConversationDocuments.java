package io.parley.query.conversation;

import io.parley.api.conversation.ConversationQueries.MemberView;
import io.parley.api.conversation.ConversationQueries.MessagePreview;
import io.parley.api.conversation.ConversationQueries.TimelineEntry;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    static TimelineEntry entry(String conversationId, Document e) {
        String kind = e.getString("kind");
        Map<String, String> reactions = null;
        Document reactionDoc = e.get("reactions", Document.class);
        if (reactionDoc != null) {
            reactions = new LinkedHashMap<>();
            for (Map.Entry<String, Object> r : reactionDoc.entrySet()) {
                reactions.put(r.getKey(), (String) r.getValue());
            }
        }
        return new TimelineEntry(kind, conversationId, e.getLong("seq"), e.getString("messageId"),
                e.getString("clientMessageId"), e.getString("senderId"),
                e.getString("type") == null ? null : MessageType.valueOf(e.getString("type")), e.getString("text"),
                media(e.get("media", Document.class)), e.getLong("replyTo"), instant(e.getDate("sentAt")),
                instant(e.getDate("editedAt")), "MESSAGE".equals(kind) ? e.getBoolean("deleted", false) : null,
                reactions, e.getLong("messageSeq"), e.getString("memberId"), e.getString("emoji"),
                e.getString("action"), e.getString("actorId"), e.getString("title"), instant(e.getDate("at")));
    }

    private static MediaRef media(Document m) {
        if (m == null) {
            return null;
        }
        return new MediaRef(m.getString("mediaId"), MediaKind.valueOf(m.getString("kind")), m.getString("contentType"),
                m.getLong("size"), m.getInteger("width"), m.getInteger("height"), m.getString("fileName"),
                m.getBoolean("hasThumbnail", false));
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
