package io.parley.command.conversation;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
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
     * several nodes ({@code cached-conversations: 0}, the cluster profile) none is cached: a cached aggregate
     * would not know what another node appended, and a rule checked against it (membership, admin rights) could
     * refuse a command that the current state allows, with no append conflict to reveal it. Every command then
     * reads the conversation's latest snapshot and the events after it.
     */
    @Bean
    public org.axonframework.common.caching.Cache conversationCache(ConversationProperties properties) {
        return properties.cachedConversations() == 0 ? org.axonframework.common.caching.NoCache.INSTANCE
                : new CaffeineAggregateCache(properties.cachedConversations());
    }

    /** Referenced by name from {@code @Aggregate} on {@link Conversation}. */
    @Bean
    public SnapshotTriggerDefinition conversationSnapshotTrigger(Snapshotter snapshotter,
                                                                 ConversationProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }
}
