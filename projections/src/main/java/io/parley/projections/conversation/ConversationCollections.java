package io.parley.projections.conversation;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/**
 * The conversation read models (DESIGN section 4: every read is by {@code _id} or {@code $in} over ids).
 * <ul>
 * <li>{@value #SUMMARIES}: one document per conversation, {@code _id} = conversation id: type, title,
 * {@code lastSeq}, {@code lastMsgSeq}, {@code msgCount} (messages so far: the ordinal of the last one),
 * {@code lastMessage} preview, {@code lastActivityAt}, {@code members.<userId>} with role, join seq and
 * delivered/read watermarks (value, time, recent steps, {@code readOrd} = messages up to the read watermark),
 * {@code former.<userId>} with the seq at which they left or were removed.</li>
 * <li>{@value #BUCKETS}: history, {@code _id = <conversationId>:<seq / 64>}, {@code entries} = up to 64
 * timeline entries in seq order; message entries carry {@code ord}, their ordinal among messages.</li>
 * <li>{@value #USERS}: one document per user, {@code _id} = user id, {@code convs.<conversationId>} with
 * the join seq, the read watermark, mute state, and when removed the seq and the preview as of removal.</li>
 * </ul>
 * Unread count = {@code msgCount - members.<user>.readOrd}: a message updates one summary, not every inbox.
 */
public final class ConversationCollections {
    public static final String SUMMARIES = "conversation_summaries";
    public static final String BUCKETS = "conversation_history";
    public static final String USERS = "user_conversations";
    public static final int BUCKET_SIZE = 64;

    private final MongoDatabase database;

    public ConversationCollections(MongoDatabase database) {
        this.database = database;
    }

    public MongoCollection<Document> summaries() {
        return database.getCollection(SUMMARIES);
    }

    public MongoCollection<Document> buckets() {
        return database.getCollection(BUCKETS);
    }

    public MongoCollection<Document> users() {
        return database.getCollection(USERS);
    }

    public static String bucketId(String conversationId, long seq) {
        return conversationId + ":" + (seq / BUCKET_SIZE);
    }
}
