package io.parley.projections.account;

import io.parley.projections.replay.CollectionRebuild;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Rebuilds the account views (handles, display names, privacy, blocks; README, Replay). */
@Component
class AccountViewsRebuild extends CollectionRebuild {

    AccountViewsRebuild() {
        super(AccountProjection.PROCESSING_GROUP, AccountProjection::new, Set.of(AccountCodec.COLLECTION));
    }
}
