package io.parley.gateway.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.command.conversation.BlockList;
import io.parley.projections.live.LiveDeliveryConfiguration;
import io.parley.projections.account.AccountProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Conversation aggregate's {@link BlockList} port: every direct message asks it, so it answers from memory.
 * A blocker's list is loaded once from the {@code accounts} read model ({@code _id} read) and then kept
 * current by the block events themselves, handled in the in-memory live-delivery processor (a list that is
 * not in memory is simply loaded later, from a view that by then includes the change).
 */
@Component
@ProcessingGroup(LiveDeliveryConfiguration.PROCESSING_GROUP)
class CachedBlockList implements BlockList {
    private final Cache<String, Set<String>> blocked = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final MongoDatabase database;

    CachedBlockList(MongoDatabase database) {
        this.database = database;
    }

    @Override
    public boolean blocks(String blockerId, String blockedId) {
        return blockerId != null && blockedId != null && blocked.get(blockerId, this::load).contains(blockedId);
    }

    private Set<String> load(String accountId) {
        Set<String> set = ConcurrentHashMap.newKeySet();
        Document account = database.getCollection(AccountProjection.COLLECTION).find(Filters.eq("_id", accountId))
                .projection(Projections.include("blocked")).first();
        if (account != null && account.get("blocked") instanceof List<?> list) {
            list.forEach(id -> set.add(String.valueOf(id)));
        }
        return set;
    }

    @EventHandler
    void on(UserBlocked event) {
        Set<String> set = blocked.getIfPresent(event.accountId());
        if (set != null) {
            set.add(event.blockedId());
        }
    }

    @EventHandler
    void on(UserUnblocked event) {
        Set<String> set = blocked.getIfPresent(event.accountId());
        if (set != null) {
            set.remove(event.blockedId());
        }
    }
}
