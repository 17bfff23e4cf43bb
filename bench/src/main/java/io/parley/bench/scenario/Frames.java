package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The STOMP frame bodies the generator sends and reads (the README's STOMP section), as records Jackson maps;
 * fields the generator does not use are left out (and ignored on reading).
 */
final class Frames {

    private Frames() {
    }

    /** {@code /app/messages.send}. */
    record SendMessage(String conversationId, String clientMessageId, String text) {
    }

    /** {@code /app/receipts.delivered} and {@code /app/receipts.read}. */
    record Receipt(String conversationId, long upToSeq) {
    }

    /** {@code /user/queue/acks}: the stored message's seq, or an error. */
    record Ack(String clientMessageId, String conversationId, Long seq, JsonNode error) {
        boolean failed() {
            return error != null && !error.isNull();
        }
    }

    /** {@code /user/queue/messages}: an entry of a conversation (a message when {@code kind} is MESSAGE). */
    record Entry(String kind, String conversationId, String clientMessageId, String senderId, String text) {
    }

    /** {@code /user/queue/receipts}: a member's delivered or read watermark. */
    record Watermark(String conversationId, String userId, String kind, Long upToSeq) {
    }
}
