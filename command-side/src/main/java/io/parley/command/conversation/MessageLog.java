package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * The conversation's timeline as far as the rules need it: the last seq, which seqs are messages and which
 * were deleted (one bit each), and author and time of recent messages for the edit and delete windows.
 * Part of the Conversation aggregate's state (snapshotted with it by Jackson, from fields).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
final class MessageLog {
    /** Authors and times kept for edit/delete windows; older messages can no longer be edited or deleted. */
    static final int RECENT_MESSAGES_MAX = 5_000;

    private long lastSeq;
    private long lastMessageSeq;
    private SeqSet messageSeqs = new SeqSet();
    private SeqSet deletedSeqs = new SeqSet();
    private LinkedHashMap<Long, RecentMessage> recentMessages = new LinkedHashMap<>();
    /**
     * Messages a member never sees because they blocked the sender, by seq (README, Blocking): rare, so a map
     * rather than a bit per seq; kept for good, as the views keep them out for good.
     */
    private TreeMap<Long, List<String>> withheld = new TreeMap<>();

    record RecentMessage(String senderId, Instant sentAt) {
    }

    /** The seq the next timeline event (message, edit, reaction, membership change) takes. */
    long nextSeq() {
        return lastSeq + 1;
    }

    long lastMessageSeq() {
        return lastMessageSeq;
    }

    boolean isDeleted(long seq) {
        return deletedSeqs.contains(seq);
    }

    /** True when the message at {@code seq} is a recent one (edit and delete windows) written by {@code accountId}. */
    boolean isRecentFrom(long seq, String accountId) {
        RecentMessage message = recentMessages.get(seq);
        return message != null && message.senderId().equals(accountId);
    }

    /** True when the message at {@code seq} is withheld from {@code memberId} (they blocked its sender). */
    boolean isWithheldFrom(long seq, String memberId) {
        List<String> from = withheld.get(seq);
        return from != null && from.contains(memberId);
    }

    /** True when the message at {@code seq} is withheld from anyone: only its sender ever saw it. */
    boolean isWithheld(long seq) {
        return withheld.containsKey(seq);
    }

    // ---------------------------------------------------------------- rules

    /** A message withheld from this member does not exist for them: the same answer as an unknown seq. */
    void requireNotWithheldFrom(Long seq, String memberId) {
        if (seq != null && isWithheldFrom(seq, memberId)) {
            throw Rejection.MESSAGE_NOT_FOUND.because("no message with seq " + seq);
        }
    }

    void requireReplyTarget(Long replyTo) {
        if (replyTo != null && !messageSeqs.contains(replyTo)) {
            throw Rejection.MESSAGE_NOT_FOUND.because("replyTo must be the seq of a message in this conversation");
        }
    }

    void requireMessage(long seq) {
        if (!messageSeqs.contains(seq)) {
            throw Rejection.MESSAGE_NOT_FOUND.because("no message with seq " + seq);
        }
    }

    void requireLiveMessage(long seq) {
        if (!messageSeqs.contains(seq) || deletedSeqs.contains(seq)) {
            throw Rejection.MESSAGE_NOT_FOUND.because("no message with seq " + seq);
        }
    }

    /** A live message of the given account that is still young enough to change. */
    RecentMessage ownMessage(long seq, String accountId) {
        requireLiveMessage(seq);
        RecentMessage message = recentMessages.get(seq);
        if (message == null) {
            throw Rejection.WINDOW_EXPIRED.because("the message is too old to change");
        }
        if (!message.senderId().equals(accountId)) {
            throw Rejection.NOT_YOUR_MESSAGE.because("only the author may change a message");
        }
        return message;
    }

    static void requireWithin(RecentMessage message, Duration window, Instant now, String what) {
        if (message.sentAt().plus(window).isBefore(now)) {
            throw Rejection.WINDOW_EXPIRED.because("a message can only be " + what + " within " + window);
        }
    }

    /**
     * Validates an ack's seq and lowers it to the last message at or before it, so a watermark never
     * passes the last message and always names a message (edits and reactions need no receipts).
     */
    long watermark(long upToSeq) {
        Rejection.require(upToSeq >= 0 && upToSeq <= lastSeq, Rejection.INVALID_REQUEST,
                "upToSeq must lie within 0.." + lastSeq);
        return messageSeqs.floor(upToSeq);
    }

    /**
     * {@link #watermark(long)} for one member, lowered past the messages withheld from them: their receipts
     * never reach a message they were never given, so its sender's ticks stay at "sent".
     */
    long watermark(long upToSeq, String memberId) {
        long mark = watermark(upToSeq);
        while (mark > 0 && isWithheldFrom(mark, memberId)) {
            mark = messageSeqs.floor(mark - 1);
        }
        return mark;
    }

    /**
     * The messages above {@code after} and up to {@code upTo} withheld from {@code memberId}, in seq order: those a
     * watermark of theirs raised from {@code after} to {@code upTo} covers by seq without their having received them.
     */
    java.util.List<Long> withheldFrom(String memberId, long after, long upTo) {
        if (upTo <= after) {
            return java.util.List.of();
        }
        return withheld.subMap(after, false, upTo, true).entrySet().stream()
                .filter(e -> e.getValue().contains(memberId)).map(java.util.Map.Entry::getKey).toList();
    }

    // ---------------------------------------------------------------- state changes (event sourcing only)

    /** A timeline event that is not a message (membership change, edit, reaction) took this seq. */
    void advance(long seq) {
        lastSeq = seq;
    }

    void messageSent(long seq, String senderId, Instant sentAt, List<String> withheldFrom) {
        if (!withheldFrom.isEmpty()) {
            withheld.put(seq, List.copyOf(withheldFrom));
        }
        lastSeq = seq;
        lastMessageSeq = seq;
        messageSeqs.add(seq);
        recentMessages.put(seq, new RecentMessage(senderId, sentAt));
        Instant horizon = sentAt.minus(ConversationProperties.MAX_WINDOW);
        Iterator<RecentMessage> oldest = recentMessages.values().iterator();
        while (oldest.hasNext()) {
            RecentMessage candidate = oldest.next();
            if (recentMessages.size() <= RECENT_MESSAGES_MAX && !candidate.sentAt().isBefore(horizon)) {
                break;
            }
            oldest.remove();
        }
    }

    void messageDeleted(long seq, long messageSeq) {
        lastSeq = seq;
        deletedSeqs.add(messageSeq);
        recentMessages.remove(messageSeq);
    }
}
