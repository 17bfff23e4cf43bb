package io.parley.query.conversation;

import io.parley.api.conversation.ConversationQueries.ConversationViewReachedQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Read-your-writes for the sender: REST waits here, bounded, until the conversation views hold the seq the
 * sender's own command produced, so the page it reads next contains its write. A subscription query on
 * {@link ConversationViewReachedQuery}: the initial answer says whether the views are there already, and the
 * conversation projection pushes an update when a batch that reaches the seq has committed; nothing polls.
 */
@Component
public class ConversationViewAwaiter {
    private final QueryGateway queries;

    public ConversationViewAwaiter(QueryGateway queries) {
        this.queries = queries;
    }

    /** @return true once reached, false when {@code timeout} passed first (the caller answers anyway). */
    public boolean await(String conversationId, long seq, Duration timeout) {
        try (SubscriptionQueryResult<Boolean, Boolean> result = queries.subscriptionQuery(
                new ConversationViewReachedQuery(conversationId, seq), ResponseTypes.instanceOf(Boolean.class),
                ResponseTypes.instanceOf(Boolean.class))) {
            // the updates are buffered from the moment of subscription, so none is lost while the initial runs
            Boolean reached = result.initialResult().concatWith(result.updates()).filter(Boolean::booleanValue)
                    .next().block(timeout);
            return Boolean.TRUE.equals(reached);
        } catch (IllegalStateException timedOut) {
            // Reactor's block(timeout) signals the timeout this way
            return false;
        }
    }
}
