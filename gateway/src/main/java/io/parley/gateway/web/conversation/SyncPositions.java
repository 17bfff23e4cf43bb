package io.parley.gateway.web.conversation;

import io.parley.gateway.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The positions a sync starts from: {@code conversationId -> seq}, from GET's {@code since} text or POST's map.
 * Every conversation id is a lower-case UUID (groups are random, direct chats name-based) and every seq a
 * non-negative integer; anything else is the client's error (400 {@code invalid-parameter} naming the bad entry),
 * never a silently empty or partial sync (issue 15, docs/design.md section 5, REST). The raw text is not echoed: it may hold control characters.
 */
final class SyncPositions {

    private static final Pattern CONVERSATION_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private SyncPositions() {
    }

    /** {@code since} = comma-separated {@code conversationId:seq} pairs; null or empty = from every start. */
    static Map<String, Long> parse(String since) {
        Map<String, Long> seqs = new HashMap<>();
        if (since == null || since.isEmpty()) {
            return seqs;
        }
        String[] pairs = since.split(",", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i].strip();
            String entry = "since entry " + (i + 1);
            int colon = pair.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(entry + " is not conversationId:seq");
            }
            String id = pair.substring(0, colon).strip();
            String seq = pair.substring(colon + 1).strip();
            requireId(id, entry);
            long value;
            try {
                value = Long.parseLong(seq);
            } catch (NumberFormatException e) {
                throw invalid(entry + ": the seq after ':' must be a non-negative integer");
            }
            put(seqs, id, value, entry);
        }
        return seqs;
    }

    /** POST's {@code since}: the same rules on a JSON object. */
    static Map<String, Long> check(Map<String, Long> since) {
        Map<String, Long> seqs = new HashMap<>();
        if (since == null) {
            return seqs;
        }
        for (Map.Entry<String, Long> e : since.entrySet()) {
            String entry = "since entry for '" + (CONVERSATION_ID.matcher(e.getKey()).matches() ? e.getKey() : "?") + "'";
            requireId(e.getKey(), "a since key");
            if (e.getValue() == null) {
                throw invalid(entry + ": the seq must be a non-negative integer, not null");
            }
            put(seqs, e.getKey(), e.getValue(), entry);
        }
        return seqs;
    }

    private static void requireId(String id, String entry) {
        if (id.isEmpty()) {
            throw invalid(entry + ": the conversation id before ':' is missing");
        }
        if (id.length() != 36 || !CONVERSATION_ID.matcher(id).matches()) {
            throw invalid(entry + ": the conversation id must be a lower-case UUID");
        }
    }

    private static void put(Map<String, Long> seqs, String id, long seq, String entry) {
        if (seq < 0) {
            throw invalid(entry + ": the seq must be a non-negative integer");
        }
        if (seqs.put(id, seq) != null) {
            throw invalid(entry + ": the conversation is named twice");
        }
    }

    private static ErrorResponseException invalid(String detail) {
        return Problems.exception(HttpStatus.BAD_REQUEST, "invalid-parameter", detail);
    }
}
