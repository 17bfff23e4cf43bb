package io.parley.projections.replay;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.batching.BatchedProjection;
import io.parley.projections.batching.EndOfBatchInterceptor;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The common {@link Rebuildable}: a projection whose whole state is some MongoDB collections, rebuilt by a fresh
 * handler writing into the replay's database; nothing to promote or retire beyond the renamed collections. A
 * projection with more than that (the search index) implements {@link Rebuildable} itself.
 */
public abstract class CollectionRebuild implements Rebuildable {

    private final String processingGroup;
    private final Function<MongoDatabase, Object> handler;
    private final Set<String> collections;

    /**
     * @param handler     a fresh event handler writing only into the given database; one whose live twin answers
     *                    subscription queries gets an emitter without subscribers, so clients hear of changes from
     *                    the live projection only
     * @param collections the live collections the rebuilt ones replace
     */
    protected CollectionRebuild(String processingGroup, Function<MongoDatabase, Object> handler,
                                Set<String> collections) {
        this.processingGroup = processingGroup;
        this.handler = handler;
        this.collections = Set.copyOf(collections);
    }

    @Override
    public String processingGroup() {
        return processingGroup;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        Object eventHandler = handler.apply(target);
        return new Rebuild() {
            @Override
            public Object eventHandler() {
                return eventHandler;
            }

            @Override
            public List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors() {
                return eventHandler instanceof BatchedProjection batched
                        ? List.of(new EndOfBatchInterceptor(batched)) : List.of();
            }

            @Override
            public Set<String> replacedCollections() {
                return collections;
            }
        };
    }
}
