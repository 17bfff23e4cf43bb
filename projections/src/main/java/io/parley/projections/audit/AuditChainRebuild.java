package io.parley.projections.audit;

import io.parley.projections.replay.CollectionRebuild;

import java.util.Set;

/**
 * Rebuilds the hash chain. Links are a pure function of the stored rows in their order, so an unaltered store
 * rebuilds the same head; a store altered since yields the head of what it holds now, and the head noted down
 * earlier (log, {@code /actuator/info}) is what proves the difference.
 */
final class AuditChainRebuild extends CollectionRebuild {

    AuditChainRebuild(StoredEvents store, AuditChainProperties properties) {
        super(AuditChainProjection.GROUP,
                target -> new AuditChainProjection(store, new ChainLinks(target), properties),
                Set.of(ChainLinks.LINKS, ChainLinks.HEAD));
    }
}
