package io.parley.projections.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.mongodb.client.MongoDatabase;
import io.parley.projections.replay.Rebuildable;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;

/**
 * Rebuilds the message index as a new generation behind aliases of its own ({@code messages-rebuild},
 * {@code messages-write-rebuild}), with its membership and pending-receipt state in the rebuild database under
 * that generation's names. The swap moves the live aliases onto it in one call; the generation it replaced and
 * that generation's state collections are deleted a little later, once the query side's cached generation name
 * ({@code chat.search.index.membership-cache-ttl}) has expired.
 */
@Component
class MessageSearchRebuild implements Rebuildable {

    private final ElasticsearchClient client;
    private final MessageIndex live;
    private final MessageSearchProjection liveProjection;
    private final MongoDatabase database;
    private final SearchIndexProperties properties;

    MessageSearchRebuild(ElasticsearchClient client, MessageIndex live, MessageSearchProjection liveProjection,
                         MongoDatabase database, SearchIndexProperties properties) {
        this.client = client;
        this.live = live;
        this.liveProjection = liveProjection;
        this.database = database;
        this.properties = properties;
    }

    @Override
    public String processingGroup() {
        return MessageSearchProjection.PROCESSING_GROUP;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        SearchIndexProperties aside = new SearchIndexProperties(properties.alias() + "-rebuild",
                properties.writeAlias() + "-rebuild", properties.indexPrefix(), properties.refreshInterval(),
                properties.maxBulkOperations(), properties.maxPendingReceipts(), properties.membershipCacheTtl());
        MessageIndex rebuilt = new MessageIndex(client, aside);
        rebuilt.deleteWriteGenerations(); // what an interrupted replay left behind its aliases
        rebuilt.ensureIndex();
        MessageSearchProjection projection = new MessageSearchProjection(rebuilt, target, aside);
        return new Rebuild() {
            private Set<String> retired = Set.of();

            @Override
            public Object eventHandler() {
                return projection;
            }

            @Override
            public List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors() {
                return List.of(new SearchBatchInterceptor(projection));
            }

            @Override
            public Set<String> replacedCollections() {
                return Set.of();
            }

            @Override
            public void promote() {
                retired = live.adopt(rebuilt);
                liveProjection.writeIndexMoved();
            }

            @Override
            public void retireOld() {
                for (String generation : retired) {
                    if (live.deleteRetired(generation)) {
                        database.getCollection(SearchMemberships.collection(generation)).drop();
                        database.getCollection(PendingReceipts.collection(generation)).drop();
                    }
                }
            }

            @Override
            public void abandon() {
                rebuilt.deleteWriteGenerations();
            }
        };
    }
}
