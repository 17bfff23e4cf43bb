package io.parley.projections.audit;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.replay.Rebuildable;

import java.util.Set;

/**
 * Rebuilds the hash chain into another database. Links are a pure function of the stored rows in their order,
 * so an unaltered store rebuilds the same head; a store altered since yields the head of what it holds now, and
 * the head noted down earlier (log, {@code /actuator/info}) is what proves the difference.
 */
final class AuditChainRebuild implements Rebuildable {

    private final StoredEvents store;
    private final AuditChainProperties properties;

    AuditChainRebuild(StoredEvents store, AuditChainProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public String processingGroup() {
        return AuditChainProjection.GROUP;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        AuditChainProjection projection = new AuditChainProjection(store, new ChainLinks(target), properties);
        return new Rebuild() {
            @Override
            public Object eventHandler() {
                return projection;
            }

            @Override
            public Set<String> replacedCollections() {
                return Set.of(ChainLinks.LINKS, ChainLinks.HEAD);
            }
        };
    }
}
