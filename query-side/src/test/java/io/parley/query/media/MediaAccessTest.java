package io.parley.query.media;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaQueries.AccessibleMediaQuery;
import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.api.media.MediaRef;
import io.parley.projections.media.MediaProjection;
import io.parley.projections.media.MediaViews;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The media views as the media-access processor builds them, and the access decision read from them. */
class MediaAccessTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase db;
    private SimpleEventHandlerInvoker projection;
    private MediaQueryHandler queries;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        db = client.getDatabase("test");
        projection = SimpleEventHandlerInvoker.builder().eventHandlers(new MediaProjection(db, SimpleQueryUpdateEmitter.builder().build())).build();
        queries = new MediaQueryHandler(new MediaViews(db));
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    /** Each event twice: the processor may apply a batch again after a crash, and nothing may change. */
    private void apply(Object... events) {
        for (int i = 0; i < 2; i++) {
            for (Object event : events) {
                try {
                    projection.handle(GenericEventMessage.asEventMessage(event), org.axonframework.eventhandling.Segment.ROOT_SEGMENT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static MediaUploaded uploaded(String mediaId, String uploader) {
        return new MediaUploaded(mediaId, uploader, SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png", 64, 32,
                true, null, T);
    }

    private static MessageSent sent(String conversationId, long seq, String sender, String mediaId) {
        return new MessageSent(conversationId, seq, "m" + seq, "c" + seq, sender, MessageType.IMAGE, "caption",
                new MediaRef(mediaId, MediaKind.IMAGE, "image/png", 2048, 64, 32, "cat.png", true), null, T);
    }

    private boolean mayAccess(String mediaId, String account) {
        return queries.handle(new AccessibleMediaQuery(mediaId, account)).isPresent();
    }

    @Test
    void uploaderSeesTheMetadataAndNobodyElseBeforeItIsSent() {
        apply(uploaded("p1", "alice"));
        Optional<MediaView> view = queries.handle(new AccessibleMediaQuery("p1", "alice"));
        assertThat(view).contains(new MediaView("p1", "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png",
                64, 32, true, null, T));
        assertThat(mayAccess("p1", "bob")).isFalse();
        assertThat(mayAccess("unknown", "alice")).isFalse();
        assertThat(queries.handle(new MediaByIdQuery("p1"))).isPresent();
    }

    @Test
    void membersOfAConversationItWasSentInMayFetchIt() {
        apply(uploaded("p1", "alice"),
                new DirectConversationStarted("d1", List.of("alice", "bob"), "alice", T),
                new GroupCreated("g1", "G", "alice", List.of("alice", "carol"), T),
                sent("d1", 1, "alice", "p1"));
        assertThat(mayAccess("p1", "bob")).isTrue();
        assertThat(mayAccess("p1", "carol")).isFalse();
        assertThat(mayAccess("p1", "mallory")).isFalse();
    }

    @Test
    void aMemberWhoJoinedAfterTheSendDoesNotSeeItAndARemovedMemberLosesIt() {
        apply(uploaded("p1", "alice"),
                new GroupCreated("g1", "G", "alice", List.of("alice", "bob", "carol"), T),
                sent("g1", 1, "alice", "p1"),
                new MemberAdded("g1", 2, "dave", "alice", T));
        assertThat(mayAccess("p1", "bob")).isTrue();
        assertThat(mayAccess("p1", "dave")).isFalse();

        apply(new MemberRemoved("g1", 3, "bob", "alice", T), new MemberLeft("g1", 4, "carol", T));
        assertThat(mayAccess("p1", "bob")).isFalse();
        assertThat(mayAccess("p1", "carol")).isFalse();

        // sent again after dave joined: now he may
        apply(sent("g1", 5, "alice", "p1"));
        assertThat(mayAccess("p1", "dave")).isTrue();
    }

    @Test
    void aGroupsAvatarIsForEveryCurrentMemberAndAForwardedCopyForItsRecipients() {
        MediaRef picture = new MediaRef("p3", MediaKind.IMAGE, "image/png", 2048, 64, 32, "cat.png", true);
        apply(uploaded("p3", "alice"), new GroupCreated("g1", "G", "alice", List.of("alice", "bob"), T),
                new io.parley.api.conversation.ConversationEvents.GroupAvatarChanged("g1", 1, picture, "alice", T),
                new MemberAdded("g1", 2, "dave", "alice", T));
        assertThat(mayAccess("p3", "bob")).isTrue();
        assertThat(mayAccess("p3", "dave")).as("joined after the change, still a member").isTrue();
        assertThat(mayAccess("p3", "mallory")).isFalse();
        apply(new MemberRemoved("g1", 3, "dave", "alice", T));
        assertThat(mayAccess("p3", "dave")).isFalse();

        // a copy forwarded by bob into a chat with erin: erin may fetch the file, nobody else gained it
        apply(new DirectConversationStarted("d2", List.of("bob", "erin"), "bob", T),
                new MessageSent("d2", 1, "m1", "c1", "bob", MessageType.IMAGE, null, picture, null, T, List.of(),
                        new io.parley.api.conversation.ForwardedFrom("g1", 1)));
        assertThat(mayAccess("p3", "erin")).isTrue();
        assertThat(mayAccess("p3", "dave")).isFalse();
    }

    /** Only the processor writes the view (the upload request waits for it): the event's time is the one kept. */
    @Test
    void theProcessorRecordsTheUploadWithTheEventTime() {
        apply(new MediaUploaded("p2", "alice", SHA, 10, "application/pdf", MediaKind.DOCUMENT, "a.pdf", null, null,
                false, null, T));
        assertThat(queries.handle(new MediaByIdQuery("p2"))).get()
                .extracting(MediaView::uploadedAt).isEqualTo(T);
        assertThat(queries.handle(new MediaByIdQuery("p2"))).contains(new MediaView("p2", "alice", SHA, 10,
                "application/pdf", MediaKind.DOCUMENT, "a.pdf", null, null, false, null, T));
    }
}
