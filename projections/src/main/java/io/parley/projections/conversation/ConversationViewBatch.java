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
import io.parley.api.conversation.Timeline;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.conversation.TimelineEntry.Message;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

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
    private final Map<String, HistoryBucket> buckets = new HashMap<>();
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
        append(Timeline.of(e), 0);
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
        append(Timeline.of(e), 0);
        userWrites.add(userUpdate(e.memberId(), new Document("$set", new Document(conv(cid, "joinedSeq"), e.seq()))
                .append("$max", new Document(conv(cid, "read"), lastMsgSeq))
                .append("$unset", new Document(conv(cid, "removedSeq"), "").append(conv(cid, "removedAt"), "")
                        .append(conv(cid, "preview"), "").append(conv(cid, "previewAt"), ""))));
    }

    void on(MemberRemoved e) {
        departed(Timeline.of(e));
    }

    void on(MemberLeft e) {
        departed(Timeline.of(e));
    }

    private void departed(Membership entry) {
        String cid = entry.conversationId();
        long seq = entry.seq();
        String memberId = entry.memberId();
        Instant at = entry.at();
        Document s = timeline(cid, seq, at);
        if (s == null) {
            return;
        }
        members(s).remove(memberId);
        s.get("former", Document.class).put(memberId, new Document("leftSeq", seq).append("at", date(at)));
        append(entry, 0);
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
        append(Timeline.of(e), 0);
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
        Message message = Timeline.of(e);
        append(message, ord);
        s.put("lastMessage", preview(message));
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
        append(Timeline.of(e), 0);
        Message target = fold(e.conversationId(), e.messageSeq(), m -> m.deleted() ? m : m.edited(e.text(), e.editedAt()));
        if (target != null) {
            refreshPreview(s, target);
        }
    }

    void on(MessageDeleted e) {
        Document s = timeline(e.conversationId(), e.seq(), e.deletedAt());
        if (s == null) {
            return;
        }
        append(Timeline.of(e), 0);
        // deleted for everyone: the content leaves the read model, the tombstone keeps the seq
        Message target = fold(e.conversationId(), e.messageSeq(), Message::deletedForEveryone);
        if (target != null) {
            refreshPreview(s, target);
        }
    }

    void on(ReactionChanged e) {
        Document s = timeline(e.conversationId(), e.seq(), e.changedAt());
        if (s == null) {
            return;
        }
        append(Timeline.of(e), 0);
        fold(e.conversationId(), e.messageSeq(), m -> m.deleted() ? m : m.reacted(e.memberId(), e.emoji()));
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
            HistoryBucket.Entry target = messageEntry(cid, e.upToSeq());
            if (target != null) {
                member.put("readOrd", Math.max(member.getLong("readOrd"), target.ord()));
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
        List<WriteModel<HistoryBucket>> bucketWrites = new ArrayList<>();
        for (String id : dirtyBuckets) {
            HistoryBucket bucket = buckets.get(id);
            bucketWrites.add(new ReplaceOneModel<>(Filters.eq("_id", id), bucket, new ReplaceOptions().upsert(true)));
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

    private HistoryBucket bucket(String cid, long seq) {
        return buckets.computeIfAbsent(HistoryBucket.id(cid, seq), key -> Optional
                .ofNullable(collections.buckets().find(Filters.eq("_id", key)).first())
                .orElseGet(() -> HistoryBucket.empty(cid, seq)));
    }

    private void append(TimelineEntry entry, long ord) {
        HistoryBucket bucket = bucket(entry.conversationId(), entry.seq());
        List<HistoryBucket.Entry> entries = bucket.entries();
        if (entries.stream().noneMatch(existing -> existing.seq() == entry.seq())) {
            entries.add(new HistoryBucket.Entry(entry, ord));
            entries.sort(Comparator.comparingLong(HistoryBucket.Entry::seq));
        }
        dirtyBuckets.add(bucket.id());
    }

    /** The stored message entry at {@code seq}, or null when that seq is no message. */
    private HistoryBucket.Entry messageEntry(String cid, long seq) {
        if (seq <= 0) {
            return null;
        }
        for (HistoryBucket.Entry entry : bucket(cid, seq).entries()) {
            if (entry.seq() == seq && entry.entry() instanceof Message) {
                return entry;
            }
        }
        return null;
    }

    /** Folds a later change into the message at {@code seq}; the folded message, or null when there is none. */
    private Message fold(String cid, long seq, UnaryOperator<Message> change) {
        if (seq <= 0) {
            return null;
        }
        HistoryBucket bucket = bucket(cid, seq);
        List<HistoryBucket.Entry> entries = bucket.entries();
        for (int i = 0; i < entries.size(); i++) {
            HistoryBucket.Entry entry = entries.get(i);
            if (entry.seq() == seq && entry.entry() instanceof Message message) {
                Message folded = change.apply(message);
                entries.set(i, new HistoryBucket.Entry(folded, entry.ord()));
                dirtyBuckets.add(bucket.id());
                return folded;
            }
        }
        return null;
    }

    private static void refreshPreview(Document summary, Message target) {
        Document last = summary.get("lastMessage", Document.class);
        if (last != null && last.getLong("seq") == target.seq()) {
            summary.put("lastMessage", preview(target));
        }
    }

    private static Document preview(Message message) {
        String text = message.text();
        if (text != null && text.length() > PREVIEW_LENGTH) {
            text = text.substring(0, PREVIEW_LENGTH);
        }
        return new Document("seq", message.seq()).append("senderId", message.senderId())
                .append("type", message.type().name()).append("text", text).append("sentAt", date(message.sentAt()))
                .append("deleted", message.deleted());
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
