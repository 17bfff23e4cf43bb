package io.parley.query.media;

import io.parley.api.media.MediaQueries.AccessibleMediaQuery;
import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.projections.media.MediaConversation;
import io.parley.projections.media.MediaDocument;
import io.parley.projections.media.MediaViews;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;

/**
 * Media metadata and the access decision, from the media views: one {@code _id} read for the uploader, one
 * more {@code $in} over the conversations the file was sent in for anyone else.
 */
@Component
class MediaQueryHandler {

    private final MediaViews views;

    MediaQueryHandler(MediaViews views) {
        this.views = views;
    }

    @QueryHandler
    Optional<MediaView> handle(MediaByIdQuery query) {
        return find(query.mediaId()).map(MediaQueryHandler::toView);
    }

    @QueryHandler
    Optional<MediaView> handle(AccessibleMediaQuery query) {
        return find(query.mediaId()).filter(media -> mayAccess(media, query.requesterId()))
                .map(MediaQueryHandler::toView);
    }

    /** Only uploads: a document holding only sends (a message event seen before the upload's) is not one yet. */
    private Optional<MediaDocument> find(String mediaId) {
        return views.media(mediaId).filter(media -> media.upload() != null);
    }

    private boolean mayAccess(MediaDocument media, String requesterId) {
        if (requesterId == null) {
            return false;
        }
        if (requesterId.equals(media.upload().uploaderId())) {
            return true;
        }
        Map<String, Long> sentIn = media.sentIn();
        if (sentIn.isEmpty()) {
            return false;
        }
        for (MediaConversation conversation : views.memberships(sentIn.keySet(), requesterId)) {
            Long joinedAt = conversation.members().get(requesterId);
            Long lastSent = sentIn.get(conversation.id());
            if (joinedAt != null && lastSent != null && joinedAt <= lastSent) {
                return true;
            }
        }
        return false;
    }

    private static MediaView toView(MediaDocument media) {
        MediaDocument.Upload u = media.upload();
        return new MediaView(media.id(), u.uploaderId(), u.sha256(), u.size(), u.contentType(), u.kind(),
                u.originalName(), u.width(), u.height(), u.hasThumbnail(), u.durationMillis(), u.uploadedAt());
    }
}
