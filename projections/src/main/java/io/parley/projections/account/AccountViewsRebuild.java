package io.parley.projections.account;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.replay.Rebuildable;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Rebuilds the account views (handles, display names, privacy) into another database. */
@Component
class AccountViewsRebuild implements Rebuildable {

    @Override
    public String processingGroup() {
        return AccountProjection.PROCESSING_GROUP;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        AccountProjection projection = new AccountProjection(target);
        return new Rebuild() {
            @Override
            public Object eventHandler() {
                return projection;
            }

            @Override
            public Set<String> replacedCollections() {
                return Set.of(AccountCodec.COLLECTION);
            }
        };
    }
}
