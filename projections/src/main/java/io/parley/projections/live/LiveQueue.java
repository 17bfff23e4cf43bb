package io.parley.projections.live;

/**
 * The per-user queues of the live protocol. A frame goes to a queue of a user, never to a shared topic; the
 * transport adapter maps each to its own destination (STOMP: {@code /user/queue/<name>}).
 */
public enum LiveQueue {
    /** Timeline entries (messages, edits, deletions, reactions, membership changes). */
    MESSAGES,
    /** Delivered and read watermarks. */
    RECEIPTS,
    /** Contacts going online or offline. */
    PRESENCE,
    /** Typing indicators. */
    TYPING,
    /** The "sent" tick answering one session's send. */
    ACKS,
    /** Refusals and failures answering one session's frame. */
    ERRORS;

    /** The queue's name as clients see it ({@code messages}, {@code receipts}, ...). */
    public String queueName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
