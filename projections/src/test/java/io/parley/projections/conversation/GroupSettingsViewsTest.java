package io.parley.projections.conversation;

import com.mongodb.client.model.Filters;
import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.AdminRevoked;
import io.parley.api.conversation.ConversationEvents.AnnouncementModeChanged;
import io.parley.api.conversation.ConversationEvents.GroupAvatarChanged;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupDescriptionChanged;
import io.parley.api.conversation.ConversationEvents.InviteCreated;
import io.parley.api.conversation.ConversationEvents.InviteUsed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17, Groups, in the conversation views: each setting a timeline notice and a field of the summary. */
class GroupSettingsViewsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String A = "a-1", B = "b-1", C = "c-1", GROUP = "g-1";
    private static final MediaRef PICTURE = new MediaRef("md-1", MediaKind.IMAGE, "image/png", 10, 2, 3, "a.png",
            true);

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private ConversationCollections collections;
    private ConversationProjection projection;

    @BeforeEach
    void setUp() {
        var database = mongo.client().getDatabase("settings");
        database.drop();
        collections = new ConversationCollections(database);
        projection = new ConversationProjection(collections, SimpleQueryUpdateEmitter.builder().build());
    }

    private void batch(Object... events) {
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

    private Map<String, String> everything() {
        Map<String, String> all = new TreeMap<>();
        var database = mongo.client().getDatabase("settings");
        for (String name : List.of(ConversationCollections.SUMMARIES, ConversationCollections.BUCKETS,
                ConversationCollections.USERS)) {
            for (Document doc : database.getCollection(name).find()) {
                all.put(name + "/" + doc.get("_id"), doc.toJson());
            }
        }
        return all;
    }

    private final List<Object> events = List.of(
            new GroupCreated(GROUP, "Team", A, List.of(A, B), T0),
            new AdminGranted(GROUP, 1, B, A, T0.plusSeconds(1)),
            new AdminRevoked(GROUP, 2, B, A, T0.plusSeconds(2)),
            new GroupDescriptionChanged(GROUP, 3, "where we plan", A, T0.plusSeconds(3)),
            new GroupAvatarChanged(GROUP, 4, PICTURE, A, T0.plusSeconds(4)),
            new AnnouncementModeChanged(GROUP, 5, true, A, T0.plusSeconds(5)),
            new InviteCreated(GROUP, "a".repeat(64), A, null, null, T0.plusSeconds(6)),
            new MemberAdded(GROUP, 6, C, C, T0.plusSeconds(7)),
            new InviteUsed(GROUP, "a".repeat(64), C, T0.plusSeconds(7)));

    @Test
    void settingsAreNoticesAndSummaryFieldsAndTwiceFedEventsChangeNothing() {
        batch(events.toArray());
        Map<String, String> once = everything();
        batch(events.toArray());
        events.forEach(this::batch);
        assertThat(everything()).isEqualTo(once);

        ConversationSummary s = collections.summaries().find(Filters.eq("_id", GROUP)).first();
        assertThat(s.lastSeq()).isEqualTo(6);
        assertThat(s.members().get(B).role()).isEqualTo(MemberRole.MEMBER);
        assertThat(s.members().get(C).joinedSeq()).isEqualTo(6);
        assertThat(s.info()).isEqualTo(new ConversationSummary.GroupInfo("where we plan", PICTURE, true));
        List<HistoryBucket.Entry> entries = collections.buckets().find(Filters.eq("_id", GROUP + ":0")).first()
                .entries();
        assertThat(entries).extracting(e -> ((Membership) e.entry()).action()).containsExactly(
                Membership.Action.ADMIN_GRANTED, Membership.Action.ADMIN_REVOKED,
                Membership.Action.DESCRIPTION_CHANGED, Membership.Action.AVATAR_CHANGED,
                Membership.Action.ANNOUNCEMENT_CHANGED, Membership.Action.ADDED);
        Membership description = (Membership) entries.get(2).entry();
        assertThat(description.description()).isEqualTo("where we plan");
        assertThat(((Membership) entries.get(3).entry()).avatar()).isEqualTo(PICTURE);
        assertThat(((Membership) entries.get(4).entry()).announcement()).isTrue();
        Membership joined = (Membership) entries.get(5).entry();
        assertThat(joined.actorId()).as("joined through a link: added by themself").isEqualTo(C);
    }

    @Test
    void aClearedDescriptionLeavesTheRest() {
        batch(events.toArray());
        batch(new GroupDescriptionChanged(GROUP, 7, null, A, T0.plusSeconds(9)));
        ConversationSummary s = collections.summaries().find(Filters.eq("_id", GROUP)).first();
        assertThat(s.info()).isEqualTo(new ConversationSummary.GroupInfo(null, PICTURE, true));
    }
}
