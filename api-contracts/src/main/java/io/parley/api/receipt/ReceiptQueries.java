package io.parley.api.receipt;

import java.time.Instant;
import java.util.List;

/** Per-message receipts, derived from the members' watermarks (docs/design.md, section 3: receipts are watermarks). */
public final class ReceiptQueries {
    private ReceiptQueries() {
    }

    /** Answered with {@code Optional<MessageReceipts>}; empty for non-members and for seqs that are no message. */
    public record MessageReceiptsQuery(String conversationId, String userId, long seq) {
    }

    /**
     * @param recipients the members other than the sender who belonged to the conversation when it was sent
     *                   and still do
     * @param state      SENT, DELIVERED (every recipient received it) or READ (every recipient read it)
     */
    public record MessageReceipts(long seq, int recipients, List<Receipt> delivered, List<Receipt> read,
                                  String state) {
    }

    /** {@code at}: when that member's watermark first reached the message (as far as the view remembers). */
    public record Receipt(String userId, Instant at) {
    }
}
