package io.parley.projections.receipt;

import com.mongodb.client.model.Filters;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.Receipt;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.projections.conversation.ConversationCollections;
import io.parley.projections.conversation.HistoryBucket;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-message receipts computed from the conversation summary's watermarks: no per-message receipt writes
 * exist. A member received (read) message s when their delivered (read) watermark is at least s; the time is
 * that of the first remembered watermark step reaching s (the summary keeps each member's recent steps), or,
 * for a message older than every remembered step, the oldest remembered step's time (an upper bound).
 */
public class MessageReceiptsView {
    private final ConversationCollections collections;

    public MessageReceiptsView(ConversationCollections collections) {
        this.collections = collections;
    }

    /** Empty when the conversation or the message at {@code seq} is unknown. Two reads by {@code _id}. */
    public Optional<MessageReceipts> receipts(String conversationId, long seq) {
        Document summary = collections.summaries().find(Filters.eq("_id", conversationId)).first();
        if (summary == null) {
            return Optional.empty();
        }
        HistoryBucket bucket = collections.buckets().find(Filters.eq("_id", HistoryBucket.id(conversationId, seq))).first();
        return message(bucket, seq).map(message -> receipts(summary, message.senderId(), seq));
    }

    /** The message at {@code seq} in a history bucket. */
    public static Optional<Message> message(HistoryBucket bucket, long seq) {
        return bucket == null ? Optional.empty() : bucket.message(seq);
    }

    public static MessageReceipts receipts(Document summary, String senderId, long seq) {
        List<Receipt> delivered = new ArrayList<>();
        List<Receipt> read = new ArrayList<>();
        int recipients = 0;
        for (Map.Entry<String, Object> e : summary.get("members", Document.class).entrySet()) {
            String userId = e.getKey();
            Document member = (Document) e.getValue();
            // the sender is no recipient; nor is whoever joined after the message
            if (userId.equals(senderId) || member.getLong("joinedSeq") > seq) {
                continue;
            }
            recipients++;
            if (member.getLong("delivered") >= seq) {
                delivered.add(new Receipt(userId, reachedAt(member, "dh", "deliveredAt", seq)));
            }
            if (member.getLong("read") >= seq) {
                read.add(new Receipt(userId, reachedAt(member, "rh", "readAt", seq)));
            }
        }
        Comparator<Receipt> byTime = Comparator.comparing(Receipt::at, Comparator.nullsLast(Comparator.naturalOrder()));
        delivered.sort(byTime);
        read.sort(byTime);
        String state = recipients > 0 && read.size() == recipients ? "READ"
                : recipients > 0 && delivered.size() == recipients ? "DELIVERED" : "SENT";
        return new MessageReceipts(seq, recipients, delivered, read, state);
    }

    @SuppressWarnings("unchecked")
    private static Instant reachedAt(Document member, String stepsField, String atField, long seq) {
        List<List<Object>> steps = (List<List<Object>>) member.get(stepsField);
        Date oldest = null;
        if (steps != null) {
            for (List<Object> step : steps) {
                Date at = (Date) step.get(1);
                if (oldest == null) {
                    oldest = at;
                }
                if (((Number) step.get(0)).longValue() >= seq) {
                    return at.toInstant();
                }
            }
        }
        Date fallback = oldest != null ? oldest : member.getDate(atField);
        return fallback == null ? null : fallback.toInstant();
    }
}
