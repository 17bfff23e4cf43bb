package io.parley.query.media;

import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * Read-your-writes for the uploader: the upload request waits here, bounded, until the media view holds the
 * new id, so the uploader can fetch the file (or its thumbnail) at once. A subscription query on
 * {@link MediaByIdQuery}: the initial answer says whether the view has it already, and the media projection
 * pushes the view when the upload's write has committed; nothing polls.
 */
@Component
public class MediaViewAwaiter {
    private final QueryGateway queries;

    public MediaViewAwaiter(QueryGateway queries) {
        this.queries = queries;
    }

    /** @return true once the view holds the id, false when {@code timeout} passed first (the caller answers anyway). */
    public boolean await(String mediaId, Duration timeout) {
        try (SubscriptionQueryResult<Optional<MediaView>, MediaView> result = queries.subscriptionQuery(
                new MediaByIdQuery(mediaId), ResponseTypes.optionalInstanceOf(MediaView.class),
                ResponseTypes.instanceOf(MediaView.class))) {
            // the updates are buffered from the moment of subscription, so none is lost while the initial runs
            Boolean held = result.initialResult().map(Optional::isPresent)
                    .concatWith(result.updates().map(view -> true)).filter(Boolean::booleanValue)
                    .next().block(timeout);
            return Boolean.TRUE.equals(held);
        } catch (IllegalStateException timedOut) {
            // Reactor's block(timeout) signals the timeout this way
            return false;
        }
    }
}
