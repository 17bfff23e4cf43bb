package io.parley.projections.live;

import io.parley.projections.support.InMemoryMongo;
import com.mongodb.client.MongoDatabase;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.MessageType;
import io.parley.projections.conversation.ConversationCollections;
import io.parley.projections.conversation.ConversationViews;
import io.parley.projections.conversation.ConversationProjection;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Live delivery routes frames through the {@link LiveFrames} port only, to the members as of each event. */
class LiveDeliveryTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private record Sent(Set<String> to, LiveQueue queue, Object frame) {
    }

    /** Records what would be pushed; every user counts as connected. */
    private static final class RecordingFrames implements LiveFrames {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public boolean isConnected(String userId) {
            return true;
        }

        @Override
        public void toUsers(Collection<String> userIds, LiveQueue queue, Object frame) {
            sent.add(new Sent(Set.copyOf(userIds), queue, frame));
        }

        Sent last() {
            return sent.get(sent.size() - 1);
        }
    }

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private MongoDatabase database;
    private ConversationMembers members;
    private RecordingFrames frames;
    private LiveDelivery delivery;


    @BeforeEach
    void setUp() {
        database = mongo.client().getDatabase("live");
        database.drop();
        members = new ConversationMembers(new ConversationViews(new ConversationCollections(database)),
                new LiveDeliveryProperties(LiveDeliveryProperties.Source.COMMIT, 2, 100, 1000));
        frames = new RecordingFrames();
        delivery = new LiveDelivery(members, frames, new io.parley.projections.account.AccountViews(database));
    }

    private static MessageSent message(String cid, long seq, String sender, String text) {
        return new MessageSent(cid, seq, "m-" + seq, "c-" + seq, sender, MessageType.TEXT, text, null, null, T0);
    }

    @Test
    void membershipChangesDecideWhoGetsEachLaterFrame() {
        delivery.on(new GroupCreated("g-1", "team", "a", List.of("a", "b"), T0));
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "b");
        assertThat(frames.last().queue()).isEqualTo(LiveQueue.MESSAGES);
        assertThat(((TimelineEntry.Membership) frames.last().frame()).action()).isEqualTo(TimelineEntry.Membership.Action.CREATED);

        delivery.on(new MemberAdded("g-1", 1, "c", "a", T0));
        assertThat(frames.last().to()).as("the newcomer is told too").containsExactlyInAnyOrder("a", "b", "c");

        delivery.on(message("g-1", 2, "a", "hello"));
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(((TimelineEntry.Message) frames.last().frame()).text()).isEqualTo("hello");

        delivery.on(new MemberRemoved("g-1", 3, "b", "a", T0));
        assertThat(frames.last().to()).as("the removed member is told, once").containsExactlyInAnyOrder("a", "b", "c");

        delivery.on(message("g-1", 4, "c", "after"));
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "c");
        assertThat(members.routedSeq("g-1")).isEqualTo(4);

        delivery.on(new MessagesRead("g-1", "c", 4, T0));
        assertThat(frames.last().queue()).isEqualTo(LiveQueue.RECEIPTS);
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void aMessageWithheldFromTheBlockerIsFramedToTheSenderOnly() {
        delivery.on(new io.parley.api.conversation.ConversationEvents.DirectConversationStarted("d-1",
                List.of("a", "b"), "a", T0));
        delivery.on(new MessageSent("d-1", 1, "m-1", "c-1", "a", MessageType.TEXT, "psst", null, null, T0,
                List.of(), List.of("b")));
        assertThat(frames.last().to()).containsExactly("a");
        assertThat(members.routedSeq("d-1")).isEqualTo(1);

        delivery.on(message("d-1", 2, "a", "after the unblock"));
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "b");
    }

    /**
     * After the unblock B reads up to 3, past A's message 2 withheld from B: A is told the watermark leaves 2 out, so
     * A's client keeps it at "sent"; B's own devices get the plain watermark.
     */
    @Test
    void aWatermarkPastWithheldMessagesTellsTheSenderWhichItLeavesOut() {
        delivery.on(new io.parley.api.conversation.ConversationEvents.DirectConversationStarted("d-1",
                List.of("a", "b"), "a", T0));
        frames.sent.clear();
        delivery.on(new MessagesRead("d-1", "b", 3, T0, List.of(2L)));
        assertThat(frames.sent).hasSize(2);
        assertThat(frames.sent.get(0).to()).containsExactly("a");
        assertThat(frames.sent.get(0).queue()).isEqualTo(LiveQueue.RECEIPTS);
        assertThat(frames.sent.get(0).frame())
                .isEqualTo(new LiveDelivery.ReceiptFrame("d-1", "b", "READ", 3, T0, List.of(2L)));
        assertThat(frames.sent.get(1).to()).containsExactly("b");
        assertThat(frames.sent.get(1).frame())
                .isEqualTo(new LiveDelivery.ReceiptFrame("d-1", "b", "READ", 3, T0, null));

        frames.sent.clear();
        delivery.on(new MessagesDelivered("d-1", "b", 4, T0));
        assertThat(frames.sent).hasSize(1);
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "b");
        assertThat(frames.last().frame()).isEqualTo(new LiveDelivery.ReceiptFrame("d-1", "b", "DELIVERED", 4, T0,
                null));
    }

    @Test
    void aPeerWhoBlockedTheOpenerIsNotToldOfTheNewChat() {
        io.parley.projections.account.AccountProjection accounts = new io.parley.projections.account.AccountProjection(database);
        try {
            new AnnotationEventHandlerAdapter(accounts).handle(GenericEventMessage.asEventMessage(
                    new io.parley.api.account.AccountEvents.UserBlocked("b", "a", T0)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        delivery.on(new io.parley.api.conversation.ConversationEvents.DirectConversationStarted("d-2",
                List.of("a", "b"), "a", T0));
        assertThat(frames.last().to()).containsExactly("a");
        delivery.on(new io.parley.api.conversation.ConversationEvents.DirectConversationStarted("d-3",
                List.of("a", "c"), "a", T0));
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void anUnknownConversationIsRoutedFromItsSummaryWhenTheSummaryHasReachedTheEvent() {
        // the conversation projection (on this node or another) has written the summary up to seq 6
        ConversationProjection projection = new ConversationProjection(new ConversationCollections(database),
                SimpleQueryUpdateEmitter.builder().build());
        List<Object> history = new ArrayList<>();
        history.add(new GroupCreated("g-2", "team", "a", List.of("a", "b"), T0));
        for (long seq = 1; seq <= 6; seq++) {
            history.add(message("g-2", seq, "a", "m" + seq));
        }
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        for (Object event : history) {
            try {
                new AnnotationEventHandlerAdapter(projection).handle(GenericEventMessage.asEventMessage(event));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        unitOfWork.commit();
        delivery.on(message("g-2", 7, "a", "from summary"));
        assertThat(frames.last().to()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aConversationNobodyKnowsSendsToNobody() {
        delivery.on(message("g-3", 1, "a", "lost"));
        assertThat(frames.last().to()).isEmpty();
    }
}
