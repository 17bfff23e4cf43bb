package io.parley.projections.conversation;

import com.mongodb.client.MongoDatabase;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ConversationViewsConfiguration {

    @Bean
    public ConversationCollections conversationCollections(MongoDatabase database) {
        return new ConversationCollections(database);
    }

    @Bean
    public ConversationViews conversationViews(ConversationCollections collections) {
        return new ConversationViews(collections);
    }
}
