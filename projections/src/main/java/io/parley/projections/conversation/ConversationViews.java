package io.parley.projections.conversation;

import com.mongodb.client.model.Filters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of the conversation views for the query side and the gateway, by {@code _id} and {@code $in}
 * only (docs/design.md, section 4).
 */
public class ConversationViews {
    private final ConversationCollections collections;

    public ConversationViews(ConversationCollections collections) {
        this.collections = collections;
    }

    public Optional<ConversationSummary> summary(String conversationId) {
        return conversationId == null ? Optional.empty()
                : Optional.ofNullable(collections.summaries().find(Filters.eq("_id", conversationId)).first());
    }

    /** Summaries by id, one {@code $in}; unknown ids are absent from the answer. */
    public Map<String, ConversationSummary> summaries(Collection<String> conversationIds) {
        Map<String, ConversationSummary> byId = new HashMap<>();
        if (!conversationIds.isEmpty()) {
            collections.summaries().find(Filters.in("_id", new ArrayList<>(conversationIds)))
                    .forEach(s -> byId.put(s.id(), s));
        }
        return byId;
    }

    /** The conversation's last timeline seq held by the views; 0 when it is unknown. */
    public long lastSeq(String conversationId) {
        return summary(conversationId).map(ConversationSummary::lastSeq).orElse(0L);
    }

    public Optional<UserConversations> user(String userId) {
        return userId == null ? Optional.empty()
                : Optional.ofNullable(collections.users().find(Filters.eq("_id", userId)).first());
    }

    /** The bucket holding {@code seq}. */
    public Optional<HistoryBucket> bucket(String conversationId, long seq) {
        return Optional.ofNullable(collections.buckets().find(Filters.eq("_id", HistoryBucket.id(conversationId, seq)))
                .first());
    }

    /** Buckets by id ({@link HistoryBucket#idOfIndex}), one {@code $in}; missing ones are absent. */
    public Map<String, HistoryBucket> buckets(List<String> bucketIds) {
        Map<String, HistoryBucket> byId = new HashMap<>();
        if (!bucketIds.isEmpty()) {
            collections.buckets().find(Filters.in("_id", bucketIds)).forEach(b -> byId.put(b.id(), b));
        }
        return byId;
    }
}
