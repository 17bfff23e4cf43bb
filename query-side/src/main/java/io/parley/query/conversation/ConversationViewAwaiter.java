package io.parley.query.conversation;

import io.parley.projections.conversation.ConversationViews;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Read-your-writes for the sender: REST waits here, bounded, until the conversation views hold the seq the
 * sender's own command produced, so the page it reads next contains its write. One {@code _id} read per poll.
 */
@Component
public class ConversationViewAwaiter {
    private static final long POLL_MILLIS = 10;

    private final ConversationViews views;

    public ConversationViewAwaiter(ConversationViews views) {
        this.views = views;
    }

    public boolean hasReached(String conversationId, long seq) {
        return views.lastSeq(conversationId) >= seq;
    }

    /** @return true once reached, false when {@code timeout} passed first (the caller answers anyway). */
    public boolean await(String conversationId, long seq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasReached(conversationId, seq)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
