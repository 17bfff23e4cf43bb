package io.parley.projections.receipt;

import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.Receipt;
import io.parley.projections.conversation.ConversationSummary;
import io.parley.projections.conversation.ConversationSummary.Member;
import io.parley.projections.conversation.ConversationSummary.Step;
import io.parley.projections.conversation.ConversationViews;

import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-message receipts computed from the conversation summary's watermarks: no per-message receipt writes
 * exist. A member received (read) message s when their delivered (read) watermark is at least s; the time is
 * that of the first remembered watermark step reaching s (the summary keeps each member's recent steps), or,
 * for a message older than every remembered step, the oldest remembered step's time (an upper bound).
 */
@Component
public class MessageReceiptsView {
    private final ConversationViews views;

    public MessageReceiptsView(ConversationViews views) {
        this.views = views;
    }

    /** Empty when the conversation or the message at {@code seq} is unknown. Two reads by {@code _id}. */
    public Optional<MessageReceipts> receipts(String conversationId, long seq) {
        return views.summary(conversationId).flatMap(summary -> views.bucket(conversationId, seq)
                .flatMap(bucket -> bucket.entries().stream()
                        .filter(e -> e.seq() == seq && e.entry() instanceof Message).findFirst())
                .map(stored -> receipts(summary, ((Message) stored.entry()).senderId(), seq, stored.hiddenFrom())));
    }

    public static MessageReceipts receipts(ConversationSummary summary, String senderId, long seq) {
        return receipts(summary, senderId, seq, List.of());
    }

    /**
     * {@code hiddenFrom}: members the message was withheld from (they blocked its sender) are no recipients, so a
     * withheld direct message stays "sent" for good, whatever their later watermarks cover (README, Blocking).
     */
    public static MessageReceipts receipts(ConversationSummary summary, String senderId, long seq,
                                           List<String> hiddenFrom) {
        List<Receipt> delivered = new ArrayList<>();
        List<Receipt> read = new ArrayList<>();
        int recipients = 0;
        for (Map.Entry<String, Member> e : summary.members().entrySet()) {
            String userId = e.getKey();
            Member member = e.getValue();
            // the sender is no recipient; nor is whoever joined after the message
            if (userId.equals(senderId) || member.joinedSeq() > seq || hiddenFrom.contains(userId)) {
                continue;
            }
            recipients++;
            if (member.delivered() >= seq) {
                delivered.add(new Receipt(userId, reachedAt(member.deliveredSteps(), member.deliveredAt(), seq)));
            }
            if (member.read() >= seq) {
                read.add(new Receipt(userId, reachedAt(member.readSteps(), member.readAt(), seq)));
            }
        }
        Comparator<Receipt> byTime = Comparator.comparing(Receipt::at, Comparator.nullsLast(Comparator.naturalOrder()));
        delivered.sort(byTime);
        read.sort(byTime);
        String state = recipients > 0 && read.size() == recipients ? "READ"
                : recipients > 0 && delivered.size() == recipients ? "DELIVERED" : "SENT";
        return new MessageReceipts(seq, recipients, delivered, read, state);
    }

    private static Instant reachedAt(List<Step> steps, Instant last, long seq) {
        Instant oldest = null;
        for (Step step : steps) {
            if (oldest == null) {
                oldest = step.at();
            }
            if (step.seq() >= seq) {
                return step.at();
            }
        }
        return oldest != null ? oldest : last;
    }
}
