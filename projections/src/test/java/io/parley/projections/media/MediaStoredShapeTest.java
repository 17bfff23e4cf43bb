package io.parley.projections.media;

import io.parley.projections.support.InMemoryMongo;
import com.mongodb.client.MongoDatabase;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.api.media.MediaRef;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The media views keep the stored shape they had before they were typed (data directories hold such
 * documents): old documents read through the codecs with every value, and the projection's updates write
 * exactly the old fields. The upload is announced to {@link MediaByIdQuery} subscribers (read-your-writes).
 */
class MediaStoredShapeTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private MongoDatabase database;
    private QueryUpdateEmitter emitter;
    private MediaProjection projection;
    private MediaViews views;


    @BeforeEach
    void setUp() {
        database = mongo.client().getDatabase("media-shapes");
        database.drop();
        emitter = mock(QueryUpdateEmitter.class);
        projection = new MediaProjection(database, emitter);
        views = new MediaViews(database);
    }

    private static Document storedImage() {
        return new Document("_id", "p1").append("uploaderId", "alice").append("sha256", SHA).append("size", 2048L)
                .append("contentType", "image/png").append("kind", "IMAGE").append("originalName", "cat.png")
                .append("hasThumbnail", true).append("width", 64).append("height", 32)
                .append("uploadedAt", Date.from(T)).append("sentIn", new Document("g1", 5L).append("d1", 1L));
    }

    @Test
    void oldDocumentsReadWithEveryValue() {
        database.getCollection("media").insertMany(List.of(storedImage(),
                new Document("_id", "p2").append("uploaderId", "bob").append("sha256", SHA).append("size", 10L)
                        .append("contentType", "application/pdf").append("kind", "DOCUMENT")
                        .append("originalName", "a.pdf").append("hasThumbnail", false)
                        .append("uploadedAt", Date.from(T)),
                new Document("_id", "p3").append("sentIn", new Document("g1", 2L))));
        database.getCollection("media-conversations").insertOne(new Document("_id", "g1")
                .append("members", new Document("alice", 0L).append("dave", 4L)));

        assertThat(views.media("p1")).contains(new MediaDocument("p1", new MediaDocument.Upload("alice", SHA, 2048,
                "image/png", MediaKind.IMAGE, "cat.png", 64, 32, true, null, T), Map.of("g1", 5L, "d1", 1L)));
        assertThat(views.media("p2")).contains(new MediaDocument("p2", new MediaDocument.Upload("bob", SHA, 10,
                "application/pdf", MediaKind.DOCUMENT, "a.pdf", null, null, false, null, T), Map.of()));
        assertThat(views.media("p3")).contains(new MediaDocument("p3", null, Map.of("g1", 2L)));
        assertThat(views.media("unknown")).isEmpty();
        assertThat(views.media(null)).isEmpty();

        assertThat(views.memberships(List.of("g1", "d1"), "dave"))
                .containsExactly(new MediaConversation("g1", Map.of("dave", 4L)));
        assertThat(views.memberships(List.of("g1"), "mallory"))
                .containsExactly(new MediaConversation("g1", Map.of()));
        assertThat(views.memberships(List.of(), "dave")).isEmpty();
    }

    @Test
    void theProjectionWritesTheOldFields() {
        projection.on(new MessageSent("d1", 1, "m1", "c1", "alice", MessageType.IMAGE, null,
                new MediaRef("p1", MediaKind.IMAGE, "image/png", 2048, 64, 32, "cat.png", true), null, T));
        projection.on(new MediaUploaded("p1", "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png", 64, 32,
                true, null, T));
        projection.on(new MessageSent("g1", 5, "m5", "c5", "alice", MessageType.IMAGE, null,
                new MediaRef("p1", MediaKind.IMAGE, "image/png", 2048, 64, 32, "cat.png", true), null, T));
        projection.on(new GroupCreated("g1", "G", "alice", List.of("alice", "bob"), T));
        projection.on(new MemberAdded("g1", 4, "dave", "alice", T));
        projection.on(new MemberRemoved("g1", 6, "bob", "alice", T));

        Document media = database.getCollection("media").find().first();
        assertThat(media).isEqualTo(new Document("_id", "p1").append("sentIn", new Document("d1", 1L).append("g1", 5L))
                .append("uploaderId", "alice").append("sha256", SHA).append("size", 2048L)
                .append("contentType", "image/png").append("kind", "IMAGE").append("originalName", "cat.png")
                .append("hasThumbnail", true).append("width", 64).append("height", 32)
                .append("uploadedAt", Date.from(T)));
        assertThat(database.getCollection("media-conversations").find().first()).isEqualTo(new Document("_id", "g1")
                .append("members", new Document("alice", 0L).append("dave", 4L)));
    }

    @Test
    void encodingAMediaDocumentKeepsTheStoredShape() {
        database.getCollection("media").insertOne(storedImage());
        MediaDocument read = views.media("p1").orElseThrow();
        database.getCollection("media").drop();
        new MediaCollections(database).media().insertOne(read);
        assertThat(database.getCollection("media").find().first()).isEqualTo(storedImage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theUploadIsAnnouncedToSubscribersOfItsId() {
        projection.on(new MediaUploaded("p1", "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png", 64, 32,
                true, null, T));

        ArgumentCaptor<Predicate<MediaByIdQuery>> filter = ArgumentCaptor.forClass(Predicate.class);
        verify(emitter).emit(eq(MediaByIdQuery.class), filter.capture(), eq(new MediaView("p1", "alice", SHA, 2048,
                "image/png", MediaKind.IMAGE, "cat.png", 64, 32, true, null, T)));
        assertThat(filter.getValue().test(new MediaByIdQuery("p1"))).isTrue();
        assertThat(filter.getValue().test(new MediaByIdQuery("p9"))).isFalse();
    }
}
