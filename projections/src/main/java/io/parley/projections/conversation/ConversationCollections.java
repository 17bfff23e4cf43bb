package io.parley.projections.conversation;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistries;

/**
 * The conversation read models (docs/design.md, section 4: every read is by {@code _id} or {@code $in} over ids).
 * <ul>
 * <li>{@value #SUMMARIES}: one document per conversation, {@code _id} = conversation id: type, title,
 * {@code lastSeq}, {@code lastMsgSeq}, {@code msgCount} (messages so far: the ordinal of the last one),
 * {@code lastMessage} preview, {@code lastActivityAt}, {@code members.<userId>} with role, join seq and
 * delivered/read watermarks (value, time, recent steps, {@code readOrd} = messages up to the read watermark),
 * {@code former.<userId>} with the seq at which they left or were removed.</li>
 * <li>{@value #BUCKETS}: history, typed {@link HistoryBucket}s.</li>
 * <li>{@value #USERS}: one document per user, {@code _id} = user id, {@code convs.<conversationId>} with
 * the join seq, the read watermark, mute state, and when removed the seq and the preview as of removal.</li>
 * </ul>
 * Unread count = {@code msgCount - members.<user>.readOrd}: a message updates one summary, not every inbox.
 */
public final class ConversationCollections {
    public static final String SUMMARIES = "conversation_summaries";
    public static final String BUCKETS = "conversation_history";
    public static final String USERS = "user_conversations";

    private final MongoDatabase database;
    private final MongoCollection<HistoryBucket> buckets;

    public ConversationCollections(MongoDatabase database) {
        this.database = database;
        this.buckets = database.getCollection(BUCKETS, HistoryBucket.class).withCodecRegistry(CodecRegistries
                .fromRegistries(CodecRegistries.fromCodecs(new HistoryBucketCodec()), database.getCodecRegistry()));
    }

    public MongoCollection<Document> summaries() {
        return database.getCollection(SUMMARIES);
    }

    public MongoCollection<HistoryBucket> buckets() {
        return buckets;
    }

    public MongoCollection<Document> users() {
        return database.getCollection(USERS);
    }
}
