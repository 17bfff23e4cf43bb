package io.parley.projections.conversation;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Edit;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.projections.conversation.ConversationSummary.Member;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The conversation views of one event batch: documents are read once (by {@code _id}), changed in memory by
 * each event ({@link MembershipViews}, {@link MessageViews}, {@link WatermarkViews}), and written back at
 * the end in one {@code bulkWrite} per collection, so a burst of messages into one conversation costs one
 * summary write and one bucket write, not one per event.
 * <p>
 * Idempotent: timeline events at or below the summary's {@code lastSeq} are skipped, watermarks only rise,
 * creation is skipped when the summary exists. The summary is written last, so when it records a seq, the
 * buckets and user documents of that seq were written before it; a crash in between replays harmlessly.
 */
final class ConversationViewBatch {
    private final ConversationCollections collections;
    private final Map<String, Optional<ConversationSummary>> summaries = new HashMap<>();
    private final Set<String> dirtySummaries = new LinkedHashSet<>();
    private final Map<String, HistoryBucket> buckets = new HashMap<>();
    private final Set<String> dirtyBuckets = new LinkedHashSet<>();
    private final List<WriteModel<UserConversations>> userWrites = new ArrayList<>();
    /** userId -> conversationId -> the highest read-up-to seq of this batch (see {@link #readUpTo}). */
    private final Map<String, Map<String, Long>> reads = new LinkedHashMap<>();
    /** Accounts deleted in this batch: their content is erased once the batch's own writes are stored. */
    private final Set<String> erasedAuthors = new LinkedHashSet<>();

    ConversationViewBatch(ConversationCollections collections) {
        this.collections = collections;
    }

    // ------------------------------------------------------------------ summaries

    /** The summary as this batch has it; null for a conversation not (yet) created. */
    ConversationSummary summary(String cid) {
        return summaries.computeIfAbsent(cid, id ->
                Optional.ofNullable(collections.summaries().find(Filters.eq("_id", id)).first())).orElse(null);
    }

    void put(ConversationSummary summary) {
        summaries.put(summary.id(), Optional.of(summary));
        dirtySummaries.add(summary.id());
    }

    /** The summary when this timeline event is new, advanced to it; null when already applied (or unknown). */
    ConversationSummary timeline(String cid, long seq, Instant at) {
        ConversationSummary s = summary(cid);
        if (s == null || seq <= s.lastSeq()) {
            return null;
        }
        ConversationSummary advanced = s.advancedTo(seq, at);
        put(advanced);
        return advanced;
    }

    Member member(String cid, String memberId) {
        ConversationSummary s = summary(cid);
        return s == null ? null : s.members().get(memberId);
    }

    /** Replaces a member's entry; a member who did not move (the same instance) writes nothing. */
    void putMember(String cid, String memberId, Member before, Member after) {
        if (after != before) {
            ConversationSummary s = summary(cid);
            s.members().put(memberId, after);
            dirtySummaries.add(cid);
        }
    }

    // ------------------------------------------------------------------ user documents

    void user(String userId, Bson update) {
        userWrites.add(new UpdateOneModel<>(Filters.eq("_id", userId), update, new UpdateOptions().upsert(true)));
    }

    /**
     * A user has read {@code cid} up to {@code seq} (their own send, or a read receipt). Every write of a read
     * mark is a {@code $max}, which commutes with every other update of a user document, so the marks of a batch
     * are folded into one update per user, written after the batch's other user updates: a sender's document
     * holds all their conversations, and the embedded MongoDB copies a whole document on every update, so one
     * update per message cost in proportion to the number of their chats (docs/design.md, section 11).
     */
    void readUpTo(String userId, String cid, long seq) {
        reads.computeIfAbsent(userId, id -> new LinkedHashMap<>()).merge(cid, seq, Math::max);
    }

    // ------------------------------------------------------------------ history

    void append(TimelineEntry entry, long ord) {
        append(entry, ord, List.of());
    }

    /** Appends an entry that the members {@code hiddenFrom} never see. */
    void append(TimelineEntry entry, long ord, List<String> hiddenFrom) {
        HistoryBucket bucket = bucket(entry.conversationId(), entry.seq());
        List<HistoryBucket.Entry> entries = bucket.entries();
        if (entries.stream().noneMatch(existing -> existing.seq() == entry.seq())) {
            entries.add(new HistoryBucket.Entry(entry, ord, new TreeMap<>(), hiddenFrom));
            entries.sort(Comparator.comparingLong(HistoryBucket.Entry::seq));
        }
        dirtyBuckets.add(bucket.id());
    }

    /** The stored message entry at {@code seq}, or null when that seq is no message. */
    HistoryBucket.Entry messageEntry(String cid, long seq) {
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

    /**
     * Folds a later change (the timeline event at {@code changeSeq}) into the message at {@code seq}; the folded
     * message, or null when there is none. Before the change, the message as it stands is kept for every former
     * member who saw it and departed before the change (their view freezes at the departure; docs/design.md,
     * section 4, "Late joiners and former members"); the first change after a departure keeps it, later ones
     * find it kept.
     */
    Message fold(String cid, long seq, long changeSeq, UnaryOperator<Message> change) {
        if (seq <= 0) {
            return null;
        }
        HistoryBucket bucket = bucket(cid, seq);
        List<HistoryBucket.Entry> entries = bucket.entries();
        ConversationSummary s = summary(cid);
        for (int i = 0; i < entries.size(); i++) {
            HistoryBucket.Entry entry = entries.get(i);
            if (entry.seq() == seq && entry.entry() instanceof Message message) {
                Map<Long, Message> asOf = new TreeMap<>(entry.asOf());
                if (s != null) {
                    for (ConversationSummary.Former gone : s.former().values()) {
                        if (gone.joinedSeq() <= seq && seq < gone.leftSeq() && gone.leftSeq() < changeSeq) {
                            asOf.putIfAbsent(gone.leftSeq(), message);
                        }
                    }
                }
                Message folded = change.apply(message);
                entries.set(i, new HistoryBucket.Entry(folded, entry.ord(), asOf, entry.hiddenFrom()));
                dirtyBuckets.add(bucket.id());
                return folded;
            }
        }
        return null;
    }

    /**
     * Empties the text of every EDIT entry of the message at {@code messageSeq} up to {@code deleteSeq}: the
     * buckets between the two are read (edits lie between a message and its deletion, edit windows are short).
     */
    void scrubEdits(String cid, long messageSeq, long deleteSeq) {
        for (long index = messageSeq / HistoryBucket.SIZE; index <= deleteSeq / HistoryBucket.SIZE; index++) {
            HistoryBucket bucket = bucket(cid, index * HistoryBucket.SIZE);
            List<HistoryBucket.Entry> entries = bucket.entries();
            for (int i = 0; i < entries.size(); i++) {
                HistoryBucket.Entry entry = entries.get(i);
                if (entry.entry() instanceof Edit edit && edit.messageSeq() == messageSeq && edit.text() != null) {
                    entries.set(i, new HistoryBucket.Entry(edit.withoutText(), entry.ord(), entry.asOf()));
                    dirtyBuckets.add(bucket.id());
                }
            }
        }
    }

    private HistoryBucket bucket(String cid, long seq) {
        return buckets.computeIfAbsent(HistoryBucket.id(cid, seq), key -> Optional
                .ofNullable(collections.buckets().find(Filters.eq("_id", key)).first())
                .orElseGet(() -> HistoryBucket.empty(cid, seq)));
    }

    /** Account deletion: see {@link ConversationErasure}. */
    void eraseAuthor(String accountId) {
        erasedAuthors.add(accountId);
    }

    // ------------------------------------------------------------------ flush

    /**
     * Writes the batch: users, then history, then summaries (the seq guard), one bulkWrite each.
     *
     * @return the last seq written per conversation (only those whose summary this batch wrote)
     */
    Map<String, Long> flush() {
        BulkWriteOptions unordered = new BulkWriteOptions().ordered(false);
        reads.forEach((userId, marks) -> userWrites.add(new UpdateOneModel<>(Filters.eq("_id", userId),
                UserConversationsCodec.readUpTo(marks), new UpdateOptions().upsert(true))));
        if (!userWrites.isEmpty()) {
            collections.users().bulkWrite(userWrites, new BulkWriteOptions().ordered(true));
        }
        List<WriteModel<HistoryBucket>> bucketWrites = new ArrayList<>();
        for (String id : dirtyBuckets) {
            bucketWrites.add(new ReplaceOneModel<>(Filters.eq("_id", id), buckets.get(id), new ReplaceOptions().upsert(true)));
        }
        if (!bucketWrites.isEmpty()) {
            collections.buckets().bulkWrite(bucketWrites, unordered);
        }
        List<WriteModel<ConversationSummary>> summaryWrites = new ArrayList<>();
        Map<String, Long> written = new LinkedHashMap<>();
        for (String id : dirtySummaries) {
            summaries.get(id).ifPresent(summary -> {
                summaryWrites.add(new ReplaceOneModel<>(Filters.eq("_id", id), summary, new ReplaceOptions().upsert(true)));
                written.put(id, summary.lastSeq());
            });
        }
        if (!summaryWrites.isEmpty()) {
            collections.summaries().bulkWrite(summaryWrites, unordered);
        }
        erasedAuthors.forEach(id -> ConversationErasure.erase(collections, id));
        erasedAuthors.clear();
        userWrites.clear();
        reads.clear();
        dirtyBuckets.clear();
        dirtySummaries.clear();
        return written;
    }
}
