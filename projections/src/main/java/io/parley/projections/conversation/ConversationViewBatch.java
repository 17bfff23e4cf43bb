package io.parley.projections.conversation;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Edit;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.projections.conversation.ConversationSummary.Member;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
    private static final int DUPLICATE_KEY = 11000;
    private final ConversationCollections collections;
    private final Map<String, Optional<ConversationSummary>> summaries = new HashMap<>();
    private final Set<String> dirtySummaries = new LinkedHashSet<>();
    private final Map<String, HistoryBucket> buckets = new HashMap<>();
    private final Set<String> dirtyBuckets = new LinkedHashSet<>();
    /** Bucket id -> entries appended to a bucket this batch did not read, in seq order (see {@link #append}). */
    private final Map<String, List<HistoryBucket.Entry>> appends = new LinkedHashMap<>();
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

    /**
     * Reads the summaries of these conversations that this batch has not read yet, in one query instead of one
     * per conversation (docs/design.md, section 15); a conversation without a summary is remembered as such.
     */
    void prefetchSummaries(Collection<String> cids) {
        List<String> unread = cids.stream().filter(cid -> !summaries.containsKey(cid)).toList();
        if (unread.isEmpty()) {
            return;
        }
        for (ConversationSummary found : collections.summaries().find(Filters.in("_id", unread))) {
            summaries.put(found.id(), Optional.of(found));
        }
        unread.forEach(cid -> summaries.putIfAbsent(cid, Optional.empty()));
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

    /**
     * Appends an entry that the members {@code hiddenFrom} never see. A bucket this batch has not read is not read
     * for it: its new entries are pushed onto the stored document at flush ({@link #flush}), which spares the
     * embedded MongoDB encoding the whole bucket for the read and decoding, copying and comparing it for the
     * replace (docs/design.md, section 13). A bucket the batch reads anyway (an edit, a reaction, a reply's
     * lookup) takes its pending entries in and is replaced whole, as before.
     */
    void append(TimelineEntry entry, long ord, List<String> hiddenFrom) {
        HistoryBucket.Entry appended = new HistoryBucket.Entry(entry, ord, new TreeMap<>(), hiddenFrom);
        String id = HistoryBucket.id(entry.conversationId(), entry.seq());
        HistoryBucket bucket = buckets.get(id);
        if (bucket == null) {
            List<HistoryBucket.Entry> pending = appends.computeIfAbsent(id, key -> new ArrayList<>());
            if (pending.stream().noneMatch(existing -> existing.seq() == entry.seq())) {
                pending.add(appended);
            }
            return;
        }
        addEntries(bucket, List.of(appended));
        dirtyBuckets.add(bucket.id());
    }

    private static void addEntries(HistoryBucket bucket, List<HistoryBucket.Entry> added) {
        List<HistoryBucket.Entry> entries = bucket.entries();
        for (HistoryBucket.Entry entry : added) {
            if (entries.stream().noneMatch(existing -> existing.seq() == entry.seq())) {
                entries.add(entry);
            }
        }
        entries.sort(Comparator.comparingLong(HistoryBucket.Entry::seq));
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
        HistoryBucket bucket = buckets.computeIfAbsent(HistoryBucket.id(cid, seq), key -> Optional
                .ofNullable(collections.buckets().find(Filters.eq("_id", key)).first())
                .orElseGet(() -> HistoryBucket.empty(cid, seq)));
        List<HistoryBucket.Entry> pending = appends.remove(bucket.id());
        if (pending != null) {
            addEntries(bucket, pending);
            dirtyBuckets.add(bucket.id());
        }
        return bucket;
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
        int replaced = bucketWrites.size();
        List<String> pushedIds = new ArrayList<>(appends.keySet());
        appends.forEach((id, entries) -> {
            // guarded: a replayed batch (its summary unwritten, so its entries applied again) matches no stored
            // bucket that holds one of these seqs already, and its upsert then fails on the _id
            List<Long> seqs = entries.stream().map(HistoryBucket.Entry::seq).toList();
            HistoryBucket.Entry first = entries.get(0);
            bucketWrites.add(new UpdateOneModel<>(
                    Filters.and(Filters.eq("_id", id), Filters.nin("entries.seq", seqs)),
                    Updates.combine(
                            Updates.setOnInsert("cid", first.entry().conversationId()),
                            Updates.setOnInsert("b", first.seq() / HistoryBucket.SIZE),
                            Updates.pushEach("entries", entries.stream().map(HistoryBucketCodec::entry).toList())),
                    new UpdateOptions().upsert(true)));
        });
        if (!bucketWrites.isEmpty()) {
            try {
                collections.buckets().bulkWrite(bucketWrites, unordered);
            } catch (MongoBulkWriteException e) {
                List<WriteModel<HistoryBucket>> merged = new ArrayList<>();
                for (BulkWriteError error : e.getWriteErrors()) {
                    if (error.getCode() != DUPLICATE_KEY || error.getIndex() < replaced) {
                        throw e;
                    }
                    // some of these entries are stored (a replay whose batches were cut differently): merge them
                    String id = pushedIds.get(error.getIndex() - replaced);
                    HistoryBucket bucket = collections.buckets().find(Filters.eq("_id", id)).first();
                    addEntries(bucket, appends.get(id));
                    merged.add(new ReplaceOneModel<>(Filters.eq("_id", id), bucket, new ReplaceOptions().upsert(true)));
                }
                collections.buckets().bulkWrite(merged, unordered);
            }
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
        appends.clear();
        dirtySummaries.clear();
        return written;
    }
}
