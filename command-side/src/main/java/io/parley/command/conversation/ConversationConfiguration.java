package io.parley.command.conversation;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Conversation aggregate's rules and its snapshot trigger. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConversationProperties.class)
public class ConversationConfiguration {

    @Bean
    ConversationRules conversationRules(ConversationProperties properties,
                                        ObjectProvider<MediaOwnership> mediaOwnership,
                                        ObjectProvider<BlockList> blockList,
                                        ObjectProvider<KnownAccounts> knownAccounts) {
        return new ConversationRules(properties, mediaOwnership.getIfAvailable(), blockList.getIfAvailable(),
                knownAccounts.getIfAvailable());
    }

    /**
     * Referenced by name from {@code @Aggregate} on {@link Conversation}: hot conversations stay in memory. With
     * several nodes a cached one may be behind what another node appended: {@link #cachedConversationCheck}
     * then applies the events stored after its version before each command.
     */
    @Bean
    public org.axonframework.common.caching.Cache conversationCache(ConversationProperties properties) {
        return properties.cachedConversations() == 0 ? org.axonframework.common.caching.NoCache.INSTANCE
                : new CaffeineAggregateCache(properties.cachedConversations());
    }

    /**
     * Axon offers every handler to the handler enhancers among the beans; with {@code check-cached-version} this
     * one wraps Conversation's command handlers, otherwise none. The event store is looked up lazily: handler
     * definitions are built while Axon assembles it.
     */
    @Bean
    public HandlerEnhancerDefinition cachedConversationCheck(ConversationProperties properties,
                                                             ObjectProvider<EventStore> eventStore) {
        return new CachedConversationCheck(properties.checkCachedVersion(), eventStore::getObject);
    }

    /** Referenced by name from {@code @Aggregate} on {@link Conversation}. */
    @Bean
    public SnapshotTriggerDefinition conversationSnapshotTrigger(Snapshotter snapshotter,
                                                                 ConversationProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }
}
