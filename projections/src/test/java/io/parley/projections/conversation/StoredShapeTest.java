package io.parley.projections.conversation;

import io.parley.projections.support.InMemoryMongo;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.conversation.TimelineEntry.Message;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents as the views stored them before they were typed (data directories hold such documents) read
 * through the codecs with every value, and a summary or bucket written back keeps the same stored shape.
 */
class StoredShapeTest {
    private static final Date T = Date.from(Instant.parse("2026-11-25T10:00:00Z"));

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private MongoDatabase database;
    private ConversationCollections collections;
    private ConversationViews views;


    @BeforeEach
    void setUp() {
        database = mongo.client().getDatabase("shapes");
        database.drop();
        collections = new ConversationCollections(database);
        views = new ConversationViews(collections);
    }

    private static Document member(String role, long joinedSeq, long delivered, long read, long readOrd,
                                   List<Object> dh, List<Object> rh) {
        return new Document("role", role).append("joinedSeq", joinedSeq).append("joinedAt", T)
                .append("delivered", delivered).append("deliveredAt", dh.isEmpty() ? null : T).append("read", read)
                .append("readAt", rh.isEmpty() ? null : T).append("readOrd", readOrd).append("dh", dh).append("rh", rh);
    }

    private static Document storedSummary() {
        List<Object> steps = new ArrayList<>(List.of(List.of(2L, T)));
        return new Document("_id", "g").append("type", "GROUP").append("title", "Team").append("createdBy", "a")
                .append("createdAt", T).append("lastSeq", 3L).append("lastMsgSeq", 2L).append("msgCount", 2L)
                .append("lastMessage", new Document("seq", 2L).append("senderId", "a").append("type", "TEXT")
                        .append("text", "two").append("sentAt", T).append("deleted", false))
                .append("lastActivityAt", T)
                .append("members", new Document("a", member("ADMIN", 0, 2, 2, 2, steps, steps))
                        .append("b", member("MEMBER", 0, 2, 0, 0, steps, new ArrayList<>())))
                .append("former", new Document("c", new Document("leftSeq", 3L).append("at", T)
                        .append("joinedSeq", 1L)))
                .append("deletedOrds", List.of(2L));
    }

    private static Document storedBucket() {
        Document message = new Document("seq", 1L).append("kind", "MESSAGE").append("messageId", "m1")
                .append("clientMessageId", "cm1").append("senderId", "a").append("type", "TEXT").append("text", "one")
                .append("media", null).append("replyTo", null).append("sentAt", T).append("ord", 1L)
                .append("editedAt", T).append("deleted", false).append("reactions", new Document("b", "x"))
                .append("mentions", List.of("b"));
        // the message as it stood when c departed at 3 (kept because it changed after that)
        message.append("asOf", List.of(new Document("seq", 1L).append("kind", "MESSAGE").append("messageId", "m1")
                .append("clientMessageId", "cm1").append("senderId", "a").append("type", "TEXT")
                .append("text", "one before").append("media", null).append("replyTo", null).append("sentAt", T)
                .append("ord", 1L).append("editedAt", null).append("deleted", false).append("reactions", new Document())
                .append("mentions", List.of("b")).append("upTo", 3L)));
        // withheld from b, who blocked its sender (a direct chat's rule; the shape is the same): no ordinal
        Document withheld = new Document("seq", 2L).append("kind", "MESSAGE").append("messageId", "m2")
                .append("clientMessageId", "cm2").append("senderId", "a").append("type", "TEXT").append("text", "two")
                .append("media", null).append("replyTo", null).append("sentAt", T).append("ord", 0L)
                .append("editedAt", null).append("deleted", false).append("reactions", new Document())
                .append("mentions", List.of()).append("hiddenFrom", List.of("b"));
        Document removal = new Document("seq", 3L).append("kind", "MEMBERSHIP").append("action", "REMOVED")
                .append("memberId", "c").append("actorId", "a").append("at", T);
        return new Document("_id", "g:0").append("cid", "g").append("b", 0L).append("entries", List.of(message, withheld, removal));
    }

    @Test
    void summariesAndBucketsReadAndWriteTheStoredShape() {
        database.getCollection(ConversationCollections.SUMMARIES).insertOne(storedSummary());
        database.getCollection(ConversationCollections.BUCKETS).insertOne(storedBucket());

        ConversationSummary summary = views.summary("g").orElseThrow();
        assertThat(summary.type()).isEqualTo(ConversationType.GROUP);
        assertThat(summary.lastMessage().text()).isEqualTo("two");
        assertThat(summary.members().keySet()).containsExactly("a", "b");
        assertThat(summary.members().get("a").role()).isEqualTo(MemberRole.ADMIN);
        assertThat(summary.members().get("b").deliveredSteps()).extracting(ConversationSummary.Step::seq)
                .containsExactly(2L);
        assertThat(summary.visibleUpTo("c")).isEqualTo(3);
        assertThat(summary.visibleFrom("c")).isEqualTo(1);
        assertThat(summary.deletedOrds()).containsExactly(2L);
        HistoryBucket bucket = views.bucket("g", 1).orElseThrow();
        Message message = bucket.message(1).orElseThrow();
        assertThat(message.text()).isEqualTo("one");
        assertThat(message.reactions()).containsEntry("b", "x");
        assertThat(message.mentions()).containsExactly("b");
        assertThat(message.conversationId()).isEqualTo("g");
        Message asSeenByC = (Message) bucket.entries().get(0).seenUpTo(3);
        assertThat(asSeenByC.text()).isEqualTo("one before");
        assertThat(asSeenByC.conversationId()).isEqualTo("g");
        assertThat(bucket.entries().get(0).ord()).isEqualTo(1);
        assertThat(bucket.entries().get(0).hiddenFrom()).isEmpty();
        assertThat(bucket.entries().get(1).hiddenFrom("b")).isTrue();
        assertThat(bucket.entries().get(1).hiddenFrom("a")).isFalse();
        assertThat(((Membership) bucket.entries().get(2).entry()).action()).isEqualTo(Membership.Action.REMOVED);

        collections.summaries().replaceOne(Filters.eq("_id", "g"), summary, new ReplaceOptions().upsert(true));
        collections.buckets().replaceOne(Filters.eq("_id", "g:0"), bucket, new ReplaceOptions().upsert(true));
        assertThat(database.getCollection(ConversationCollections.SUMMARIES).find().first()).isEqualTo(storedSummary());
        assertThat(database.getCollection(ConversationCollections.BUCKETS).find().first()).isEqualTo(storedBucket());

        // a summary written before deleted ordinals existed counts every message as unread, as it did
        Document older = storedSummary();
        older.remove("deletedOrds");
        database.getCollection(ConversationCollections.SUMMARIES).replaceOne(Filters.eq("_id", "g"), older);
        assertThat(views.summary("g").orElseThrow().deletedOrds()).isEmpty();
    }

    @Test
    void userDocumentsReadTheStoredShape() {
        database.getCollection(ConversationCollections.USERS).insertOne(new Document("_id", "c")
                .append("convs", new Document("g", new Document("joinedSeq", 0L).append("read", 2L)
                        .append("muted", true).append("removedSeq", 3L).append("removedAt", T)
                        .append("preview", new Document("seq", 2L).append("senderId", "a").append("type", "TEXT")
                                .append("text", "two").append("sentAt", T).append("deleted", false))
                        .append("previewAt", T).append("starred", List.of(2L, 1L)).append("hidden", List.of(3L)))
                        .append("h", new Document("joinedSeq", 0L).append("read", 0L).append("muted", false))
                .append("d", new Document("joinedSeq", 0L).append("read", 1L).append("muted", false)
                        .append("ownWithheld", new Document("seq", 4L).append("senderId", "c").append("type", "TEXT")
                                .append("text", "withheld").append("sentAt", T).append("deleted", false)))));
        assertThat(views.user("c").orElseThrow().conversations().get("d").ownWithheld().text()).isEqualTo("withheld");
        assertThat(views.user("c").orElseThrow().conversations().get("g").ownWithheld()).isNull();
        UserConversations.Entry mine = views.user("c").orElseThrow().conversations().get("g");
        assertThat(mine.starred()).containsExactly(2L, 1L);
        assertThat(mine.hidden()).containsExactly(3L);
        UserConversations.Entry older = views.user("c").orElseThrow().conversations().get("h");
        assertThat(older.starred()).as("written before stars existed: none").isEmpty();
        assertThat(older.hidden()).isEmpty();
        assertThat(mine.read()).isEqualTo(2);
        assertThat(mine.removed()).isTrue();
        assertThat(mine.removedSeq()).isEqualTo(3);
        assertThat(mine.preview().text()).isEqualTo("two");
        assertThat(mine.mutedAt(Instant.now())).isTrue();
    }
}
