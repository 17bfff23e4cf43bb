package io.parley.projections.conversation;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.configuration.CodecRegistry;

/**
 * The conversation read models, each a typed collection with its one codec; only this package writes them,
 * and everyone else reads them through {@link ConversationViews}. Every read is by {@code _id} or {@code $in}
 * over ids (docs/design.md, section 4):
 * <ul>
 * <li>{@value #SUMMARIES}: {@link ConversationSummary}, one per conversation;</li>
 * <li>{@value #BUCKETS}: {@link HistoryBucket}s of timeline entries;</li>
 * <li>{@value #USERS}: {@link UserConversations}, one per user: the inbox is that document plus an
 * {@code $in} over the summaries.</li>
 * </ul>
 */
public final class ConversationCollections {
    public static final String SUMMARIES = "conversation_summaries";
    public static final String BUCKETS = "conversation_history";
    public static final String USERS = "user_conversations";

    private final MongoCollection<ConversationSummary> summaries;
    private final MongoCollection<HistoryBucket> buckets;
    private final MongoCollection<UserConversations> users;

    public ConversationCollections(MongoDatabase database) {
        CodecRegistry codecs = CodecRegistries.fromRegistries(CodecRegistries.fromCodecs(new ConversationSummaryCodec(),
                new HistoryBucketCodec(), new UserConversationsCodec()), database.getCodecRegistry());
        this.summaries = database.getCollection(SUMMARIES, ConversationSummary.class).withCodecRegistry(codecs);
        this.buckets = database.getCollection(BUCKETS, HistoryBucket.class).withCodecRegistry(codecs);
        this.users = database.getCollection(USERS, UserConversations.class).withCodecRegistry(codecs);
    }

    MongoCollection<ConversationSummary> summaries() {
        return summaries;
    }

    MongoCollection<HistoryBucket> buckets() {
        return buckets;
    }

    MongoCollection<UserConversations> users() {
        return users;
    }

    void drop() {
        summaries.drop();
        buckets.drop();
        users.drop();
    }
}
