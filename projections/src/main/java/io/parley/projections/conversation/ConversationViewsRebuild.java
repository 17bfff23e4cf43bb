package io.parley.projections.conversation;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.replay.Rebuildable;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Rebuilds inbox, history and receipts into another database. The rebuilding instance tells no subscription
 * query anything (its emitter has no subscribers): clients hear about changes from the live projection only.
 */
@Component
class ConversationViewsRebuild implements Rebuildable {

    @Override
    public String processingGroup() {
        return ConversationProjection.GROUP;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        ConversationProjection projection = new ConversationProjection(new ConversationCollections(target),
                SimpleQueryUpdateEmitter.builder().build());
        return new Rebuild() {
            @Override
            public Object eventHandler() {
                return projection;
            }

            @Override
            public Set<String> replacedCollections() {
                return Set.of(ConversationCollections.SUMMARIES, ConversationCollections.BUCKETS,
                        ConversationCollections.USERS);
            }
        };
    }
}
