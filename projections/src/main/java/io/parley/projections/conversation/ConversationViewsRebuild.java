package io.parley.projections.conversation;

import io.parley.projections.replay.CollectionRebuild;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Rebuilds inbox, history and receipts. The rebuilding instance tells no subscription query anything (its
 * emitter has no subscribers): clients hear about changes from the live projection only.
 */
@Component
class ConversationViewsRebuild extends CollectionRebuild {

    ConversationViewsRebuild() {
        super(ConversationProjection.GROUP, target -> new ConversationProjection(new ConversationCollections(target),
                SimpleQueryUpdateEmitter.builder().build()), Set.of(ConversationCollections.SUMMARIES,
                ConversationCollections.BUCKETS, ConversationCollections.USERS));
    }
}
