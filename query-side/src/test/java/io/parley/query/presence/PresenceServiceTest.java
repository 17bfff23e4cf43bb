package io.parley.query.presence;

import com.mongodb.client.MongoDatabase;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.projections.account.AccountViews;
import io.parley.projections.conversation.ConversationCollections;
import io.parley.projections.conversation.ConversationProjection;
import io.parley.projections.conversation.ConversationViews;
import io.parley.projections.live.ConversationMembers;
import io.parley.projections.live.LiveFrames;
import io.parley.projections.support.InMemoryMongo;
import io.parley.query.presence.PresenceService.PresenceFrame;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Presence to the user and their contacts only (issue 15): strangers, removed members and unknown ids all get
 * the same empty answer; last seen follows both sides' privacy. Contacts come from the conversation read
 * model, fed here by the real projection.
 */
class PresenceServiceTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final String ANN = "ann", BEN = "ben", CAL = "cal", EVE = "eve", LEFT = "lea", STRANGER = "sam", TOM = "tom";

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();

    AnnotationEventHandlerAdapter projection;
    PrivacySettings privacy;
    BlockRelations blocks;
    SessionRegistry sessions;
    PresenceService presence;

    @BeforeEach
    void setUp() {
        MongoDatabase database = mongo.client().getDatabase("presence-test");
        database.drop();
        ConversationCollections collections = new ConversationCollections(database);
        projection = new AnnotationEventHandlerAdapter(
                new ConversationProjection(collections, SimpleQueryUpdateEmitter.builder().build()));
        PresenceProperties properties = new PresenceProperties(Duration.ofMinutes(1), 1000, Duration.ofMinutes(10));
        privacy = new PrivacySettings(new AccountViews(database), properties);
        sessions = new SessionRegistry();
        blocks = new BlockRelations(new AccountViews(database), properties);
        presence = new PresenceService(sessions, privacy, blocks, mock(ConversationMembers.class),
                new ConversationViews(collections), mock(LiveFrames.class), database, properties,
                Clock.fixed(T0, ZoneOffset.UTC));

        feed(new GroupCreated("team", "Team", ANN, List.of(ANN, BEN, EVE, LEFT), T0),
                new DirectConversationStarted("ann-cal", List.of(ANN, CAL), ANN, T0),
                new MemberRemoved("team", 1, EVE, ANN, T0),
                new MemberLeft("team", 2, LEFT, T0),
                new DirectConversationStarted("sam-tom", List.of(STRANGER, TOM), STRANGER, T0));
        presence.touch(ANN);
    }

    @AfterEach
    void tearDown() {
        presence.destroy();
    }

    void feed(Object... events) {
        for (Object event : events) {
            try {
                projection.handle(GenericEventMessage.asEventMessage(event));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void contactsSeeOnlineAndLastSeen() {
        sessions.opened(ANN, "s1");
        assertThat(presence.presenceOf(ANN, BEN)).contains(new PresenceFrame(ANN, true, T0));
        assertThat(presence.presenceOf(ANN, CAL)).contains(new PresenceFrame(ANN, true, T0));
        assertThat(presence.presenceOf(BEN, ANN)).contains(new PresenceFrame(BEN, false, null));
    }

    @Test
    void strangersRemovedAndLeftMembersAndUnknownIdsAreToldNothing() {
        sessions.opened(ANN, "s1");
        assertThat(presence.presenceOf(ANN, STRANGER)).isEmpty();
        assertThat(presence.presenceOf(ANN, EVE)).as("removed from the only shared group").isEmpty();
        assertThat(presence.presenceOf(ANN, LEFT)).as("left the only shared group").isEmpty();
        assertThat(presence.presenceOf(EVE, ANN)).isEmpty();
        assertThat(presence.presenceOf("no-such-account", ANN)).isEmpty();
        // the same answer as for an account that does not exist: nothing to tell them apart
        assertThat(presence.presenceOf(ANN, STRANGER)).isEqualTo(presence.presenceOf("no-such-account", STRANGER));
        assertThat(presence.areContacts(BEN, CAL)).as("contacts of a contact are strangers").isFalse();
    }

    @Test
    void aBlockStopsPresenceBothWaysAndAnUnblockRestoresIt() {
        sessions.opened(ANN, "s1");
        blocks.on(new UserBlocked(CAL, ANN, T0));
        assertThat(presence.presenceOf(ANN, CAL)).as("the blocker sees nothing of the blocked").isEmpty();
        assertThat(presence.presenceOf(CAL, ANN)).as("nor the blocked of the blocker").isEmpty();
        assertThat(presence.presenceOf(ANN, BEN)).as("others are not concerned").isPresent();
        assertThat(blocks.eitherBlocks(ANN, CAL)).isTrue();
        blocks.on(new UserUnblocked(CAL, ANN, T0));
        assertThat(presence.presenceOf(ANN, CAL)).contains(new PresenceFrame(ANN, true, T0));
    }

    @Test
    void oneSeesOnesOwnPresenceWhateverTheSetting() {
        privacy.on(new PrivacyChanged(ANN, LastSeenVisibility.NOBODY, T0));
        assertThat(presence.presenceOf(ANN, ANN)).contains(new PresenceFrame(ANN, false, T0));
    }

    @Test
    void lastSeenFollowsThePrivacySettingOfBothSides() {
        assertThat(lastSeenOfAnnFor(BEN)).as("default EVERYONE: every contact").contains(T0);
        privacy.on(new PrivacyChanged(ANN, LastSeenVisibility.CONTACTS, T0));
        assertThat(lastSeenOfAnnFor(BEN)).contains(T0);
        assertThat(presence.presenceOf(ANN, STRANGER)).isEmpty();
        privacy.on(new PrivacyChanged(ANN, LastSeenVisibility.NOBODY, T0));
        assertThat(lastSeenOfAnnFor(BEN)).isEmpty();
        assertThat(presence.presenceOf(ANN, BEN)).map(PresenceFrame::online).contains(false);

        privacy.on(new PrivacyChanged(ANN, LastSeenVisibility.EVERYONE, T0));
        privacy.on(new PrivacyChanged(CAL, LastSeenVisibility.NOBODY, T0));
        assertThat(lastSeenOfAnnFor(CAL)).as("who hides theirs sees no one's").isEmpty();
        assertThat(lastSeenOfAnnFor(BEN)).contains(T0);
    }

    private Optional<Instant> lastSeenOfAnnFor(String viewer) {
        return presence.presenceOf(ANN, viewer).map(PresenceFrame::lastSeenAt);
    }
}
