package io.parley.query.media;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaQueries.AccessibleMediaQuery;
import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.projections.media.MediaProjection;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.Optional;

/**
 * Media metadata and the access decision, from the {@code media} and {@code media-conversations} views: one
 * {@code _id} read for the uploader, one more {@code $in} over the conversations the file was sent in for
 * anyone else.
 */
@Component
class MediaQueryHandler {

    private final MongoCollection<Document> media;
    private final MongoCollection<Document> conversations;

    MediaQueryHandler(MongoDatabase database) {
        this.media = database.getCollection(MediaProjection.MEDIA);
        this.conversations = database.getCollection(MediaProjection.CONVERSATIONS);
    }

    @QueryHandler
    Optional<MediaView> handle(MediaByIdQuery query) {
        return find(query.mediaId()).map(MediaQueryHandler::toView);
    }

    @QueryHandler
    Optional<MediaView> handle(AccessibleMediaQuery query) {
        return find(query.mediaId()).filter(doc -> mayAccess(doc, query.requesterId())).map(MediaQueryHandler::toView);
    }

    private Optional<Document> find(String mediaId) {
        if (mediaId == null) {
            return Optional.empty();
        }
        // a document holding only sentIn (a message event seen before the upload's) is not an upload yet
        return Optional.ofNullable(media.find(Filters.eq("_id", mediaId)).first())
                .filter(doc -> doc.getString("sha256") != null);
    }

    private boolean mayAccess(Document doc, String requesterId) {
        if (requesterId == null) {
            return false;
        }
        if (requesterId.equals(doc.getString("uploaderId"))) {
            return true;
        }
        Document sentIn = doc.get("sentIn", Document.class);
        if (sentIn == null || sentIn.isEmpty()) {
            return false;
        }
        String memberField = "members." + requesterId;
        for (Document conversation : conversations.find(Filters.in("_id", sentIn.keySet()))
                .projection(Projections.include(memberField))) {
            Document members = conversation.get("members", Document.class);
            Number joinedAt = members == null ? null : members.get(requesterId, Number.class);
            Number lastSent = sentIn.get(conversation.getString("_id"), Number.class);
            if (joinedAt != null && lastSent != null && joinedAt.longValue() <= lastSent.longValue()) {
                return true;
            }
        }
        return false;
    }

    private static MediaView toView(Document doc) {
        Date uploadedAt = doc.getDate("uploadedAt");
        return new MediaView(doc.getString("_id"), doc.getString("uploaderId"), doc.getString("sha256"),
                ((Number) doc.get("size")).longValue(), doc.getString("contentType"),
                MediaKind.valueOf(doc.getString("kind")), doc.getString("originalName"), doc.getInteger("width"),
                doc.getInteger("height"), Boolean.TRUE.equals(doc.getBoolean("hasThumbnail")),
                uploadedAt == null ? null : uploadedAt.toInstant());
    }
}
