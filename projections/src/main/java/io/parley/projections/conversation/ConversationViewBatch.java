package io.parley.projections.conversation;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
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
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.media.MediaRef;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The conversation views of one event batch: documents are read once (by {@code _id}), changed in memory by
 * each event, and written back at the end in one {@code bulkWrite} per collection, so a burst of messages into
 * one conversation costs one summary write and one bucket write, not one per event.
 * <p>
 * Idempotent: timeline events at or below the summary's {@code lastSeq} are skipped, watermarks only rise,
 * creation is skipped when the summary exists. The summary is written last, so when it records a seq, the
 * buckets and user documents of that seq were written before it; a crash in between replays harmlessly.
 */
final class ConversationViewBatch {
    static final int PREVIEW_LENGTH = 120;
    static final int WATERMARK_STEPS = 8;

    private final ConversationCollections collections;
    private final Map<String, Optional<Document>> summaries = new HashMap<>();
    private final Set<String> dirtySummaries = new LinkedHashSet<>();
    private final Map<String, Optional<Document>> buckets = new HashMap<>();
    private final Set<String> dirtyBuckets = new LinkedHashSet<>();
    private final List<WriteModel<Document>> userWrites = new ArrayList<>();

    ConversationViewBatch(ConversationCollections collections) {
        this.collections = collections;
    }

    // ------------------------------------------------------------------ creation

    void on(DirectConversationStarted e) {
        create(e.conversationId(), ConversationType.DIRECT, null, e.startedBy(), e.memberIds(), null, e.startedAt());
    }

    void on(GroupCreated e) {
        create(e.conversationId(), ConversationType.GROUP, e.title(), e.creatorId(), e.memberIds(), e.creatorId(),
                e.createdAt());
    }

    private void create(String cid, ConversationType type, String title, String by, List<String> memberIds,
                        String adminId, Instant at) {
        if (summary(cid) != null) {
            return;
        }
        Document members = new Document();
        for (String memberId : memberIds) {
            members.put(memberId, newMember(memberId.equals(adminId) ? MemberRole.ADMIN : MemberRole.MEMBER, 0, 0, 0, at));
            userWrites.add(userUpdate(memberId, new Document("$set", new Document(conv(cid, "joinedSeq"), 0L))
                    .append("$max", new Document(conv(cid, "read"), 0L))));
        }
        Document summary = new Document("_id", cid).append("type", type.name()).append("title", title)
                .append("createdBy", by).append("createdAt", date(at)).append("lastSeq", 0L)
                .append("lastMsgSeq", 0L).append("msgCount", 0L).append("lastMessage", null)
                .append("lastActivityAt", date(at)).append("members", members).append("former", new Document());
        summaries.put(cid, Optional.of(summary));
        dirtySummaries.add(cid);
    }

    private static Document newMember(MemberRole role, long joinedSeq, long watermark, long ord, Instant at) {
        return new Document("role", role.name()).append("joinedSeq", joinedSeq).append("joinedAt", date(at))
                .append("delivered", watermark).append("deliveredAt", null).append("read", watermark)
                .append("readAt", null).append("readOrd", ord).append("dh", new ArrayList<>())
                .append("rh", new ArrayList<>());
    }

    // ------------------------------------------------------------------ timeline

    void on(GroupRenamed e) {
        Document s = timeline(e.conversationId(), e.seq(), e.renamedAt());
        if (s == null) {
            return;
        }
        s.put("title", e.title());
        append(e.conversationId(), membership(e.seq(), "RENAMED", null, e.renamedBy(), e.renamedAt()).append("title", e.title()));
    }

    void on(MemberAdded e) {
        String cid = e.conversationId();
        Document s = timeline(cid, e.seq(), e.addedAt());
        if (s == null) {
            return;
        }
        long lastMsgSeq = s.getLong("lastMsgSeq");
        // a newcomer starts with nothing unread, as the aggregate does
        members(s).put(e.memberId(), newMember(MemberRole.MEMBER, e.seq(), lastMsgSeq, s.getLong("msgCount"), e.addedAt()));
        s.get("former", Document.class).remove(e.memberId());
        append(cid, membership(e.seq(), "ADDED", e.memberId(), e.addedBy(), e.addedAt()));
        userWrites.add(userUpdate(e.memberId(), new Document("$set", new Document(conv(cid, "joinedSeq"), e.seq()))
                .append("$max", new Document(conv(cid, "read"), lastMsgSeq))
                .append("$unset", new Document(conv(cid, "removedSeq"), "").append(conv(cid, "removedAt"), "")
                        .append(conv(cid, "preview"), "").append(conv(cid, "previewAt"), ""))));
    }

    void on(MemberRemoved e) {
        departed(e.conversationId(), e.seq(), e.memberId(), "REMOVED", e.removedBy(), e.removedAt());
    }

    void on(MemberLeft e) {
        departed(e.conversationId(), e.seq(), e.memberId(), "LEFT", e.memberId(), e.leftAt());
    }

    private void departed(String cid, long seq, String memberId, String action, String by, Instant at) {
        Document s = timeline(cid, seq, at);
        if (s == null) {
            return;
        }
        members(s).remove(memberId);
        s.get("former", Document.class).put(memberId, new Document("leftSeq", seq).append("at", date(at)));
        append(cid, membership(seq, action, memberId, by, at));
        // the departed member's inbox keeps the conversation as it stood at their departure
        userWrites.add(userUpdate(memberId, new Document("$set", new Document(conv(cid, "removedSeq"), seq)
                .append(conv(cid, "removedAt"), date(at)).append(conv(cid, "preview"), s.get("lastMessage"))
                .append(conv(cid, "previewAt"), s.get("lastActivityAt")))));
    }

    void on(AdminGranted e) {
        Document s = timeline(e.conversationId(), e.seq(), e.grantedAt());
        if (s == null) {
            return;
        }
        Document member = members(s).get(e.memberId(), Document.class);
        if (member != null) {
            member.put("role", MemberRole.ADMIN.name());
        }
        append(e.conversationId(), membership(e.seq(), "ADMIN_GRANTED", e.memberId(), e.grantedBy(), e.grantedAt()));
    }

    void on(MessageSent e) {
        String cid = e.conversationId();
        Document s = timeline(cid, e.seq(), e.sentAt());
        if (s == null) {
            return;
        }
        long ord = s.getLong("msgCount") + 1;
        s.put("msgCount", ord);
        s.put("lastMsgSeq", e.seq());
        Document entry = new Document("seq", e.seq()).append("kind", "MESSAGE").append("messageId", e.messageId())
                .append("clientMessageId", e.clientMessageId()).append("senderId", e.senderId())
                .append("type", e.type().name()).append("text", e.text()).append("media", media(e.media()))
                .append("replyTo", e.replyTo()).append("sentAt", date(e.sentAt())).append("ord", ord)
                .append("editedAt", null).append("deleted", false).append("reactions", new Document());
        append(cid, entry);
        s.put("lastMessage", preview(entry));
        Document sender = members(s).get(e.senderId(), Document.class);
        if (sender != null) {
            // sending counts as having read everything up to one's own message (a reply shows the read)
            lift(cid, sender, "read", "readAt", "rh", e.seq(), e.sentAt());
            lift(cid, sender, "delivered", "deliveredAt", "dh", e.seq(), e.sentAt());
            sender.put("readOrd", ord);
        }
        userWrites.add(userUpdate(e.senderId(), new Document("$max", new Document(conv(cid, "read"), e.seq()))));
    }

    void on(MessageEdited e) {
        Document s = timeline(e.conversationId(), e.seq(), e.editedAt());
        if (s == null) {
            return;
        }
        append(e.conversationId(), new Document("seq", e.seq()).append("kind", "EDIT").append("messageSeq", e.messageSeq())
                .append("senderId", e.editorId()).append("text", e.text()).append("at", date(e.editedAt())));
        Document target = entry(e.conversationId(), e.messageSeq());
        if (target != null && !target.getBoolean("deleted", false)) {
            target.put("text", e.text());
            target.put("editedAt", date(e.editedAt()));
            refreshPreview(s, target);
        }
    }

    void on(MessageDeleted e) {
        Document s = timeline(e.conversationId(), e.seq(), e.deletedAt());
        if (s == null) {
            return;
        }
        append(e.conversationId(), new Document("seq", e.seq()).append("kind", "DELETE").append("messageSeq", e.messageSeq())
                .append("actorId", e.deletedBy()).append("at", date(e.deletedAt())));
        Document target = entry(e.conversationId(), e.messageSeq());
        if (target != null) {
            // deleted for everyone: the content leaves the read model, the tombstone keeps the seq
            target.put("deleted", true);
            target.put("text", null);
            target.put("media", null);
            target.put("reactions", new Document());
            refreshPreview(s, target);
        }
    }

    void on(ReactionChanged e) {
        Document s = timeline(e.conversationId(), e.seq(), e.changedAt());
        if (s == null) {
            return;
        }
        append(e.conversationId(), new Document("seq", e.seq()).append("kind", "REACTION").append("messageSeq", e.messageSeq())
                .append("memberId", e.memberId()).append("emoji", e.emoji()).append("at", date(e.changedAt())));
        Document target = entry(e.conversationId(), e.messageSeq());
        if (target != null && !target.getBoolean("deleted", false)) {
            Document reactions = target.get("reactions", Document.class);
            if (e.emoji() == null) {
                reactions.remove(e.memberId());
            } else {
                reactions.put(e.memberId(), e.emoji());
            }
        }
    }

    // ------------------------------------------------------------------ receipts and mute (no seq)

    void on(MessagesDelivered e) {
        Document member = member(e.conversationId(), e.memberId());
        if (member != null) {
            lift(e.conversationId(), member, "delivered", "deliveredAt", "dh", e.upToSeq(), e.at());
        }
    }

    void on(MessagesRead e) {
        String cid = e.conversationId();
        Document member = member(cid, e.memberId());
        if (member != null && lift(cid, member, "read", "readAt", "rh", e.upToSeq(), e.at())) {
            lift(cid, member, "delivered", "deliveredAt", "dh", e.upToSeq(), e.at());
            Document target = entry(cid, e.upToSeq());
            if (target != null && target.get("ord") != null) {
                member.put("readOrd", Math.max(member.getLong("readOrd"), target.getLong("ord")));
            }
        }
        userWrites.add(userUpdate(e.memberId(), new Document("$max", new Document(conv(cid, "read"), e.upToSeq()))));
    }

    void on(ConversationMuted e) {
        userWrites.add(userUpdate(e.memberId(), new Document("$set", new Document(conv(e.conversationId(), "muted"), true)
                .append(conv(e.conversationId(), "mutedUntil"), e.until() == null ? null : date(e.until())))));
    }

    void on(ConversationUnmuted e) {
        userWrites.add(userUpdate(e.memberId(), new Document("$set", new Document(conv(e.conversationId(), "muted"), false))
                .append("$unset", new Document(conv(e.conversationId(), "mutedUntil"), ""))));
    }

    /** Raises a watermark and records the step (seq, time) for per-message receipt times; false if nothing moved. */
    private boolean lift(String cid, Document member, String field, String atField, String stepsField, long upTo, Instant at) {
        if (upTo <= member.getLong(field)) {
            return false;
        }
        member.put(field, upTo);
        member.put(atField, date(at));
        @SuppressWarnings("unchecked")
        List<Object> steps = new ArrayList<>((List<Object>) member.get(stepsField, List.class));
        steps.add(List.of(upTo, date(at)));
        while (steps.size() > WATERMARK_STEPS) {
            steps.remove(0);
        }
        member.put(stepsField, steps);
        dirtySummaries.add(cid);
        return true;
    }

    // ------------------------------------------------------------------ flush

    /** Writes the batch: users, then history, then summaries (the seq guard), one bulkWrite each. */
    void flush() {
        BulkWriteOptions unordered = new BulkWriteOptions().ordered(false);
        if (!userWrites.isEmpty()) {
            collections.users().bulkWrite(userWrites, new BulkWriteOptions().ordered(true));
        }
        List<WriteModel<Document>> bucketWrites = new ArrayList<>();
        for (String id : dirtyBuckets) {
            bucketWrites.add(replace(buckets.get(id).orElseThrow()));
        }
        if (!bucketWrites.isEmpty()) {
            collections.buckets().bulkWrite(bucketWrites, unordered);
        }
        List<WriteModel<Document>> summaryWrites = new ArrayList<>();
        for (String id : dirtySummaries) {
            summaries.get(id).ifPresent(doc -> summaryWrites.add(replace(doc)));
        }
        if (!summaryWrites.isEmpty()) {
            collections.summaries().bulkWrite(summaryWrites, unordered);
        }
        userWrites.clear();
        dirtyBuckets.clear();
        dirtySummaries.clear();
    }

    private static WriteModel<Document> replace(Document doc) {
        return new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    }

    // ------------------------------------------------------------------ helpers

    private Document summary(String cid) {
        return summaries.computeIfAbsent(cid, id ->
                Optional.ofNullable(collections.summaries().find(Filters.eq("_id", id)).first())).orElse(null);
    }

    /** The summary when this timeline event is new, advanced to it; null when already applied (or unknown). */
    private Document timeline(String cid, long seq, Instant at) {
        Document s = summary(cid);
        if (s == null || seq <= s.getLong("lastSeq")) {
            return null;
        }
        s.put("lastSeq", seq);
        s.put("lastActivityAt", date(at));
        dirtySummaries.add(cid);
        return s;
    }

    private Document member(String cid, String memberId) {
        Document s = summary(cid);
        return s == null ? null : members(s).get(memberId, Document.class);
    }

    private static Document members(Document summary) {
        return summary.get("members", Document.class);
    }

    private Document bucket(String cid, long seq) {
        String id = ConversationCollections.bucketId(cid, seq);
        return buckets.computeIfAbsent(id, key -> Optional.of(Optional
                .ofNullable(collections.buckets().find(Filters.eq("_id", key)).first())
                .orElseGet(() -> new Document("_id", key).append("cid", cid)
                        .append("b", seq / ConversationCollections.BUCKET_SIZE).append("entries", new ArrayList<>()))))
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private void append(String cid, Document entry) {
        Document bucket = bucket(cid, entry.getLong("seq"));
        List<Document> entries = (List<Document>) bucket.get("entries");
        long seq = entry.getLong("seq");
        if (entries.stream().noneMatch(existing -> existing.getLong("seq") == seq)) {
            entries.add(entry);
            entries.sort((x, y) -> Long.compare(x.getLong("seq"), y.getLong("seq")));
        }
        dirtyBuckets.add(bucket.getString("_id"));
    }

    @SuppressWarnings("unchecked")
    private Document entry(String cid, long seq) {
        if (seq <= 0) {
            return null;
        }
        Document bucket = bucket(cid, seq);
        for (Document entry : (List<Document>) bucket.get("entries")) {
            if (entry.getLong("seq") == seq && "MESSAGE".equals(entry.getString("kind"))) {
                dirtyBuckets.add(bucket.getString("_id"));
                return entry;
            }
        }
        return null;
    }

    private static void refreshPreview(Document summary, Document target) {
        Document last = summary.get("lastMessage", Document.class);
        if (last != null && last.getLong("seq") == target.getLong("seq")) {
            summary.put("lastMessage", preview(target));
        }
    }

    private static Document preview(Document entry) {
        String text = entry.getString("text");
        if (text != null && text.length() > PREVIEW_LENGTH) {
            text = text.substring(0, PREVIEW_LENGTH);
        }
        return new Document("seq", entry.getLong("seq")).append("senderId", entry.getString("senderId"))
                .append("type", entry.getString("type")).append("text", text).append("sentAt", entry.get("sentAt"))
                .append("deleted", entry.getBoolean("deleted", false));
    }

    private static Document membership(long seq, String action, String memberId, String actorId, Instant at) {
        return new Document("seq", seq).append("kind", "MEMBERSHIP").append("action", action)
                .append("memberId", memberId).append("actorId", actorId).append("at", date(at));
    }

    private static Document media(MediaRef media) {
        if (media == null) {
            return null;
        }
        return new Document("mediaId", media.mediaId()).append("kind", media.kind().name())
                .append("contentType", media.contentType()).append("size", media.size())
                .append("width", media.width()).append("height", media.height())
                .append("fileName", media.fileName()).append("hasThumbnail", media.hasThumbnail());
    }

    private static UpdateOneModel<Document> userUpdate(String userId, Bson update) {
        return new UpdateOneModel<>(Filters.eq("_id", userId), update, new UpdateOptions().upsert(true));
    }

    private static String conv(String cid, String field) {
        return "convs." + cid + "." + field;
    }

    static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
