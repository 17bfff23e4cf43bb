package io.parley.gateway.media;

import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.api.media.MediaRef;
import io.parley.command.conversation.MediaOwnership;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The Conversation aggregate's check that a media message carries a file its sender uploaded, answered from the
 * {@code media} view by {@code _id}. The upload request writes that document before it answers, so a client may
 * send the file the moment its upload returned. The returned reference is the recorded one (detected type, size,
 * dimensions), never what the client claimed.
 */
@Component
class MediaOwnershipLookup implements MediaOwnership {

    private final QueryGateway queries;

    MediaOwnershipLookup(QueryGateway queries) {
        this.queries = queries;
    }

    @Override
    public Optional<MediaRef> resolveOwned(MediaRef requested, String accountId) {
        if (requested == null || requested.mediaId() == null || accountId == null) {
            return Optional.empty();
        }
        Optional<MediaView> view = queries.query(new MediaByIdQuery(requested.mediaId()),
                ResponseTypes.optionalInstanceOf(MediaView.class)).join();
        return view.filter(v -> accountId.equals(v.uploaderId())).map(MediaView::toRef);
    }
}
