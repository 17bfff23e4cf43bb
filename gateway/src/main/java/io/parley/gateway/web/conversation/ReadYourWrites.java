package io.parley.gateway.web.conversation;

import io.parley.gateway.web.Problems;
import io.parley.projections.live.ConversationMembers;
import io.parley.query.conversation.ConversationViewAwaiter;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * What the conversation endpoints read from the views: read-your-writes waits, and the one answer for a
 * conversation the caller cannot see (404, never 403: a non-member learns nothing of its existence).
 */
@Component
class ReadYourWrites {
    /** How long a sender's request waits for its own message to reach the views (read-your-writes). */
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);

    private final ConversationViewAwaiter views;
    private final ConversationMembers live;

    ReadYourWrites(ConversationViewAwaiter views, ConversationMembers live) {
        this.views = views;
        this.live = live;
    }

    /** Waits (bounded) until the views hold {@code seq} of the conversation. */
    void await(String conversationId, long seq) {
        views.await(conversationId, seq, READ_YOUR_WRITES);
    }

    /**
     * Sync must not miss what was stored and already pushed live while the client was away: before answering
     * from the views, wait (bounded) until they hold every seq the live-delivery stream has seen stored.
     */
    void awaitStored(Iterable<String> conversationIds) {
        for (String cid : conversationIds) {
            long head = live.routedSeq(cid);
            if (head > 0) {
                views.await(cid, head, READ_YOUR_WRITES);
            }
        }
    }

    static <T> T found(Optional<T> answer) {
        return answer.orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such conversation"));
    }
}
