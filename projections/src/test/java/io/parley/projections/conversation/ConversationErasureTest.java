package io.parley.projections.conversation;

import com.mongodb.client.model.Filters;
import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.conversation.TimelineEntry.Edit;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import io.parley.api.privacy.PersonalDataCipher;
import io.parley.projections.support.InMemoryMongo;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** AccountDeleted in the conversation views: the account's content becomes [erased], everything else stays. */
class ConversationErasureTest {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");
    private static final String ALICE = "alice-1", BOB = "bob-1", CAROL = "carol-1";
    private static final String GROUP = "g-1";
    private static final String ERASED = PersonalDataCipher.ERASED;

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private ConversationCollections collections;
    private ConversationProjection projection;

    @BeforeEach
    void setUp() {
        var database = mongo.client().getDatabase("erasure");
        database.drop();
        collections = new ConversationCollections(database);
        projection = new ConversationProjection(collections, SimpleQueryUpdateEmitter.builder().build());
    }

    private static MessageSent sent(long seq, String sender, String text, MediaRef media) {
        return new MessageSent(GROUP, seq, "m" + seq, "cm" + seq, sender, media == null ? MessageType.TEXT
                : MessageType.DOCUMENT, text, media, null, T0.plusSeconds(seq));
    }

    private static MediaRef file(String name) {
        return new MediaRef("md-1", MediaKind.DOCUMENT, "application/pdf", 100, null, null, name, false);
    }

    private final List<Object> history = List.of(
            new GroupCreated(GROUP, "Team", ALICE, List.of(ALICE, BOB, CAROL), T0),
            sent(1, ALICE, "zanzibar plans", null),
            sent(2, BOB, "bravo words", null),
            sent(3, ALICE, null, file("zanzibar-map.pdf")),
            new MessageEdited(GROUP, 4, 1, ALICE, "zanzibar plans, edited", T0.plusSeconds(4)),
            // carol keeps, as a removed member, the preview of the last message she saw: alice's
            new MemberRemoved(GROUP, 5, CAROL, ALICE, T0.plusSeconds(5)));

    private void batch(List<Object> events) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        for (Object event : events) {
            try {
                new AnnotationEventHandlerAdapter(projection).handle(GenericEventMessage.asEventMessage(event));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        unitOfWork.commit();
    }

    private List<String> everyStoredDocument() {
        List<String> all = new ArrayList<>();
        var database = mongo.client().getDatabase("erasure");
        for (String name : database.listCollectionNames()) {
            for (Document doc : database.getCollection(name).find()) {
                all.add(doc.toJson());
            }
        }
        return all;
    }

    private List<io.parley.api.conversation.TimelineEntry> timeline() {
        HistoryBucket bucket = collections.buckets().find(Filters.eq("_id", GROUP + ":0")).first();
        return bucket.entries().stream().map(HistoryBucket.Entry::entry).toList();
    }

    private void assertErased() {
        assertThat(everyStoredDocument()).noneMatch(doc -> doc.contains("zanzibar"));
        List<io.parley.api.conversation.TimelineEntry> entries = timeline();
        assertThat(entries).extracting(io.parley.api.conversation.TimelineEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(((Message) entries.get(0)).text()).isEqualTo(ERASED);
        assertThat(((Message) entries.get(0)).senderId()).isEqualTo(ALICE);
        assertThat(((Message) entries.get(0)).editedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(((Message) entries.get(1)).text()).isEqualTo("bravo words");
        assertThat(((Message) entries.get(2)).text()).isNull();
        assertThat(((Message) entries.get(2)).media().fileName()).isEqualTo(ERASED);
        assertThat(((Message) entries.get(2)).media().size()).isEqualTo(100);
        assertThat(((Edit) entries.get(3)).text()).isEqualTo(ERASED);
        ConversationSummary summary = collections.summaries().find(Filters.eq("_id", GROUP)).first();
        assertThat(summary.msgCount()).isEqualTo(3);
        assertThat(summary.lastSeq()).isEqualTo(5);
    }

    @Test
    void theDeletedAccountsContentIsErasedAndOthersStay() {
        batch(history);
        assertThat(everyStoredDocument()).anyMatch(doc -> doc.contains("zanzibar"));

        batch(List.of(new AccountDeleted(ALICE, T0.plusSeconds(10))));
        assertErased();

        // fed twice, as a redelivery would: nothing changes
        batch(history);
        batch(List.of(new AccountDeleted(ALICE, T0.plusSeconds(10))));
        assertErased();
    }

    @Test
    void aMessageWrittenInTheSameBatchAsTheDeletionIsErasedToo() {
        List<Object> all = new ArrayList<>(history);
        all.add(new AccountDeleted(ALICE, T0.plusSeconds(10)));
        batch(all);
        assertErased();
        batch(all);
        assertErased();
    }
}
