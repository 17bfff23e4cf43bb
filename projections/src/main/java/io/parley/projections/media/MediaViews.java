package io.parley.projections.media;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Typed reads of the media read models, by {@code _id} or {@code $in} only. */
@Component
public class MediaViews {
    private final MediaCollections collections;

    public MediaViews(MongoDatabase database) {
        this.collections = new MediaCollections(database);
    }

    public Optional<MediaDocument> media(String mediaId) {
        return mediaId == null ? Optional.empty()
                : Optional.ofNullable(collections.media().find(Filters.eq("_id", mediaId)).first());
    }

    /**
     * The conversations among {@code conversationIds}, one {@code $in}, each carrying only {@code accountId}'s
     * entry of its members (absent when the account is not a member); unknown ids are absent from the answer.
     */
    public List<MediaConversation> memberships(Collection<String> conversationIds, String accountId) {
        List<MediaConversation> found = new ArrayList<>();
        if (!conversationIds.isEmpty()) {
            collections.conversations().find(Filters.in("_id", new ArrayList<>(conversationIds)))
                    .projection(MediaConversationCodec.onlyMember(accountId)).forEach(found::add);
        }
        return found;
    }
}
