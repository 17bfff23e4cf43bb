package io.parley.command.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.common.CommandRejected;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** One given/when/then per rule of DESIGN section 3 and issues 5 and 6. */
class ConversationTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String A = "a-0000", B = "b-0000", C = "c-0000", D = "d-0000", OUTSIDER = "z-0000";
    private static final String GROUP = "group-1";
    private static final String DIRECT = ConversationIds.direct(A, B);

    private AggregateTestFixture<Conversation> fixture;
    private final List<String> blocked = new ArrayList<>(); // "blocker>blocked"
    private MediaOwnership mediaOwnership;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
        mediaOwnership = null;
        // resolved per call so a test can install a media port after the fixture exists
        MediaOwnership delegating = (ref, account) -> mediaOwnership == null ? Optional.empty()
                : mediaOwnership.resolveOwned(ref, account);
        fixture.registerInjectableResource(new ConversationRules(ConversationProperties.defaults(),
                delegating, (blocker, blockedId) -> blocked.contains(blocker + ">" + blockedId)));
    }

    private static Matcher<Object> rejected(Rejection rejection) {
        return new CustomTypeSafeMatcher<>("rejection " + rejection.code()) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof CommandRejected r && r.code().equals(rejection.code());
            }
        };
    }

    private static void expectRejected(ResultValidator<Conversation> result, Rejection rejection) {
        result.expectException(rejected(rejection)).expectNoEvents();
    }

    private static GroupCreated group(String... members) {
        return new GroupCreated(GROUP, "Team", members[0], List.of(members), T0);
    }

    private static MessageSent sent(String conversation, long seq, String sender, String text) {
        return sent(conversation, seq, sender, text, T0);
    }

    private static MessageSent sent(String conversation, long seq, String sender, String text, Instant at) {
        return new MessageSent(conversation, seq, Conversation.messageId(conversation, seq), "c" + seq, sender,
                MessageType.TEXT, text, null, null, at);
    }

    private static DirectConversationStarted direct() {
        return new DirectConversationStarted(DIRECT, List.of(A, B), A, T0);
    }

    @Nested
    class DirectChats {
        @Test
        void startsWithTheDerivedId() {
            fixture.givenCurrentTime(T0).when(new StartDirectConversation(DIRECT, A, B))
                    .expectEvents(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0))
                    .expectResultMessagePayload(new ConversationOpened(DIRECT, true));
        }

        @Test
        void openingAgainIsANoOp() {
            fixture.given(direct()).when(new StartDirectConversation(DIRECT, B, A))
                    .expectNoEvents().expectResultMessagePayload(new ConversationOpened(DIRECT, false));
        }

        @Test
        void anyOtherIdIsRejected() {
            expectRejected(fixture.givenNoPriorActivity().when(new StartDirectConversation("random", A, B)),
                    Rejection.INVALID_REQUEST);
        }

        @Test
        void aChatWithOneselfIsRejected() {
            expectRejected(fixture.givenNoPriorActivity()
                    .when(new StartDirectConversation(ConversationIds.direct(A, A), A, A)), Rejection.INVALID_REQUEST);
        }

        @Test
        void aBlockedUserCannotOpenAChatWithTheBlocker() {
            blocked.add(B + ">" + A);
            expectRejected(fixture.givenNoPriorActivity().when(new StartDirectConversation(DIRECT, A, B)),
                    Rejection.BLOCKED);
        }

        @Test
        void aBlockedUserCannotSendToTheBlocker() {
            blocked.add(B + ">" + A);
            expectRejected(fixture.given(direct()).when(new SendMessage(DIRECT, A, "m1", "hi", null, null)),
                    Rejection.BLOCKED);
        }

        @Test
        void theBlockerMayStillSend() {
            blocked.add(B + ">" + A);
            fixture.given(direct()).when(new SendMessage(DIRECT, B, "m1", "hi", null, null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void directChatsHaveNoMembershipChanges() {
            expectRejected(fixture.given(direct()).when(new AddMember(DIRECT, A, C)), Rejection.NOT_A_GROUP);
            expectRejected(fixture.given(direct()).when(new LeaveGroup(DIRECT, A)), Rejection.NOT_A_GROUP);
        }
    }

    @Nested
    class Groups {
        @Test
        void creatorBecomesAdminAndMembersAreDeduplicated() {
            fixture.givenCurrentTime(T0).when(new CreateGroup(GROUP, A, "  Team ", List.of(B, A, C, B)))
                    .expectEvents(new GroupCreated(GROUP, "Team", A, List.of(A, B, C), T0));
        }

        @Test
        void blankTitleIsRejected() {
            expectRejected(fixture.givenNoPriorActivity().when(new CreateGroup(GROUP, A, " ", List.of(B))),
                    Rejection.INVALID_REQUEST);
        }

        @Test
        void creatingMoreThan100MembersIsRejected() {
            List<String> others = IntStream.range(0, 100).mapToObj(i -> "m" + i).toList();
            expectRejected(fixture.givenNoPriorActivity().when(new CreateGroup(GROUP, A, "Big", others)),
                    Rejection.GROUP_FULL);
        }

        @Test
        void the101stMemberIsRejected() {
            List<String> members = new ArrayList<>(List.of(A));
            IntStream.range(0, 99).mapToObj(i -> "m" + i).forEach(members::add);
            expectRejected(fixture.given(new GroupCreated(GROUP, "Big", A, members, T0))
                    .when(new AddMember(GROUP, A, "m-last")), Rejection.GROUP_FULL);
        }

        @Test
        void the100thMemberIsAccepted() {
            List<String> members = new ArrayList<>(List.of(A));
            IntStream.range(0, 98).mapToObj(i -> "m" + i).forEach(members::add);
            fixture.given(new GroupCreated(GROUP, "Big", A, members, T0)).andGivenCurrentTime(T0)
                    .when(new AddMember(GROUP, A, "m-last"))
                    .expectEvents(new MemberAdded(GROUP, 1, "m-last", A, T0));
        }

        @Test
        void aNonAdminCannotAdd() {
            expectRejected(fixture.given(group(A, B)).when(new AddMember(GROUP, B, C)), Rejection.NOT_AN_ADMIN);
        }

        @Test
        void anOutsiderCannotAdd() {
            expectRejected(fixture.given(group(A, B)).when(new AddMember(GROUP, OUTSIDER, C)), Rejection.NOT_A_MEMBER);
        }

        @Test
        void addingAMemberTwiceIsRejected() {
            expectRejected(fixture.given(group(A, B)).when(new AddMember(GROUP, A, B)), Rejection.ALREADY_A_MEMBER);
        }

        @Test
        void aNonAdminCannotRemove() {
            expectRejected(fixture.given(group(A, B, C)).when(new RemoveMember(GROUP, B, C)), Rejection.NOT_AN_ADMIN);
        }

        @Test
        void anAdminRemovesWithTheNextSeq() {
            fixture.given(group(A, B, C), sent(GROUP, 1, B, "x")).andGivenCurrentTime(T0)
                    .when(new RemoveMember(GROUP, A, C))
                    .expectEvents(new MemberRemoved(GROUP, 2, C, A, T0));
        }

        @Test
        void removingOneselfIsLeaving() {
            fixture.given(group(A, B)).andGivenCurrentTime(T0).when(new RemoveMember(GROUP, B, B))
                    .expectEvents(new MemberLeft(GROUP, 1, B, T0));
        }

        @Test
        void theLastAdminLeavingPromotesTheOldestMember() {
            fixture.given(group(A, B, C), new MemberAdded(GROUP, 1, D, A, T0), new MemberLeft(GROUP, 2, B, T0),
                            new MemberAdded(GROUP, 3, B, A, T0))
                    .andGivenCurrentTime(T0)
                    .when(new LeaveGroup(GROUP, A))
                    // B rejoined last, so C (joined at creation) is now the oldest member
                    .expectEvents(new MemberLeft(GROUP, 4, A, T0), new AdminGranted(GROUP, 5, C, null, T0));
        }

        @Test
        void anAdminLeavingWhileAnotherAdminRemainsPromotesNobody() {
            fixture.given(group(A, B, C), new AdminGranted(GROUP, 1, C, A, T0)).andGivenCurrentTime(T0)
                    .when(new LeaveGroup(GROUP, A))
                    .expectEvents(new MemberLeft(GROUP, 2, A, T0));
        }

        @Test
        void theLastMemberLeavingPromotesNobody() {
            fixture.given(group(A)).andGivenCurrentTime(T0).when(new LeaveGroup(GROUP, A))
                    .expectEvents(new MemberLeft(GROUP, 1, A, T0));
        }

        @Test
        void onlyAdminsGrantAdmin() {
            expectRejected(fixture.given(group(A, B, C)).when(new GrantAdmin(GROUP, B, C)), Rejection.NOT_AN_ADMIN);
            fixture.given(group(A, B, C)).andGivenCurrentTime(T0).when(new GrantAdmin(GROUP, A, C))
                    .expectEvents(new AdminGranted(GROUP, 1, C, A, T0));
        }

        @Test
        void onlyAdminsRenameAndTheSameTitleIsANoOp() {
            expectRejected(fixture.given(group(A, B)).when(new RenameGroup(GROUP, B, "New")), Rejection.NOT_AN_ADMIN);
            fixture.given(group(A, B)).when(new RenameGroup(GROUP, A, "Team")).expectNoEvents();
            fixture.given(group(A, B)).andGivenCurrentTime(T0).when(new RenameGroup(GROUP, A, "New"))
                    .expectEvents(new GroupRenamed(GROUP, 1, "New", A, T0));
        }

        @Test
        void aRemovedMemberCannotSendOrAck() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberRemoved(GROUP, 2, B, A, T0))
                    .when(new SendMessage(GROUP, B, "m", "hi", null, null)), Rejection.NOT_A_MEMBER);
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberRemoved(GROUP, 2, B, A, T0))
                    .when(new MarkRead(GROUP, B, 1)), Rejection.NOT_A_MEMBER);
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberRemoved(GROUP, 2, B, A, T0))
                    .when(new AcknowledgeDelivery(GROUP, B, 1)), Rejection.NOT_A_MEMBER);
        }
    }

    @Nested
    class Sending {
        @Test
        void aMemberSendsWithTheNextSeqAndGetsTheSentTick() {
            String messageId = Conversation.messageId(GROUP, 2);
            fixture.given(group(A, B), new MemberAdded(GROUP, 1, C, A, T0)).andGivenCurrentTime(T0)
                    .when(new SendMessage(GROUP, B, "cm-1", "  hello  ", null, null))
                    .expectEvents(new MessageSent(GROUP, 2, messageId, "cm-1", B, MessageType.TEXT, "hello", null,
                            null, T0))
                    .expectResultMessagePayload(new SendResult(GROUP, "cm-1", 2, messageId, T0));
        }

        @Test
        void aNonMemberCannotSend() {
            expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, OUTSIDER, "m", "hi", null, null)),
                    Rejection.NOT_A_MEMBER);
        }

        @Test
        void aDuplicateClientMessageIdIsAcknowledgedAgainWithoutASecondEvent() {
            Instant sentAt = T0.minusSeconds(5);
            fixture.given(group(A, B), new MessageSent(GROUP, 1, Conversation.messageId(GROUP, 1), "cm-1", A,
                            MessageType.TEXT, "hello", null, null, sentAt))
                    .when(new SendMessage(GROUP, A, "cm-1", "hello", null, null))
                    .expectNoEvents()
                    .expectResultMessagePayload(new SendResult(GROUP, "cm-1", 1, Conversation.messageId(GROUP, 1),
                            sentAt));
        }

        @Test
        void clientMessageIdsAreScopedPerSender() {
            fixture.given(group(A, B), new MessageSent(GROUP, 1, Conversation.messageId(GROUP, 1), "cm-1", A,
                            MessageType.TEXT, "hello", null, null, T0))
                    .when(new SendMessage(GROUP, B, "cm-1", "mine", null, null))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                            org.axonframework.test.matchers.Matchers.messageWithPayload(
                                    new CustomTypeSafeMatcher<MessageSent>("B's message at seq 2") {
                                        @Override
                                        protected boolean matchesSafely(MessageSent e) {
                                            return e.seq() == 2 && e.senderId().equals(B);
                                        }
                                    }),
                            org.axonframework.test.matchers.Matchers.andNoMore()));
        }

        @Test
        void theDedupWindowIsBounded() {
            List<Object> history = new ArrayList<>(List.of(group(A, B)));
            for (int i = 1; i <= Conversation.DEDUP_CAPACITY + 1; i++) {
                history.add(sent(GROUP, i, A, "m" + i));
            }
            // "c1" has fallen out of the window: a very late retry becomes a new message
            fixture.given(history).when(new SendMessage(GROUP, A, "c1", "m1", null, null))
                    .expectSuccessfulHandlerExecution().expectEventsMatching(
                            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                    org.axonframework.test.matchers.Matchers.messageWithPayload(
                                            org.hamcrest.Matchers.any(MessageSent.class)),
                                    org.axonframework.test.matchers.Matchers.andNoMore()));
            fixture.given(history).when(new SendMessage(GROUP, A, "c2", "m2", null, null)).expectNoEvents();
        }

        @Test
        void emptyOrBlankTextIsRejected() {
            expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, A, "m", "   ", null, null)),
                    Rejection.INVALID_TEXT);
            expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, A, "m", null, null, null)),
                    Rejection.INVALID_TEXT);
        }

        @Test
        void textLongerThan65536IsRejectedAnd65536IsAccepted() {
            expectRejected(fixture.given(group(A, B))
                    .when(new SendMessage(GROUP, A, "m", "x".repeat(65_537), null, null)), Rejection.INVALID_TEXT);
            fixture.given(group(A, B)).when(new SendMessage(GROUP, A, "m", " " + "x".repeat(65_536) + " ", null, null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void replyToMustReferenceAMessage() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                    .when(new SendMessage(GROUP, B, "m", "re", 7L, null)), Rejection.MESSAGE_NOT_FOUND);
            // seq 2 exists but is a membership change, not a message
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0))
                    .when(new SendMessage(GROUP, B, "m", "re", 2L, null)), Rejection.MESSAGE_NOT_FOUND);
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new SendMessage(GROUP, B, "m", "re", 1L, null))
                    .expectEvents(new MessageSent(GROUP, 2, Conversation.messageId(GROUP, 2), "m", B,
                            MessageType.TEXT, "re", null, 1L, T0));
        }
    }

    @Nested
    class Media {
        private final MediaRef claimed = new MediaRef("media-1", MediaKind.DOCUMENT, "text/plain", 1, null, null,
                "x.txt", false);
        private final MediaRef recorded = new MediaRef("media-1", MediaKind.IMAGE, "image/png", 2048, 10, 20,
                "cat.png", true);

        @Test
        void withoutAMediaPortMediaMessagesAreRejected() {
            expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, A, "m", null, null, claimed)),
                    Rejection.MEDIA_NOT_OWNED);
        }

        @Test
        void onlyTheUploaderMaySendAndTheRecordedReferenceIsStored() {
            mediaOwnership = (ref, account) -> account.equals(A) ? Optional.of(recorded) : Optional.empty();
            expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, B, "m", null, null, claimed)),
                    Rejection.MEDIA_NOT_OWNED);
            fixture.given(group(A, B)).andGivenCurrentTime(T0).when(new SendMessage(GROUP, A, "m", "", null, claimed))
                    .expectEvents(new MessageSent(GROUP, 1, Conversation.messageId(GROUP, 1), "m", A,
                            MessageType.IMAGE, null, recorded, null, T0));
        }
    }

    @Nested
    class EditDeleteReact {
        @Test
        void theAuthorEditsWithinTheWindow() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0.plusSeconds(60))
                    .when(new EditMessage(GROUP, A, 1, "y"))
                    .expectEvents(new MessageEdited(GROUP, 2, 1, A, "y", T0.plusSeconds(60)));
        }

        @Test
        void onlyTheAuthorEdits() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new EditMessage(GROUP, B, 1, "y")), Rejection.NOT_YOUR_MESSAGE);
        }

        @Test
        void editingAfterTheWindowIsRejected() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0.plus(Duration.ofMinutes(16)))
                    .when(new EditMessage(GROUP, A, 1, "y")), Rejection.WINDOW_EXPIRED);
        }

        @Test
        void editingToEmptyTextIsRejected() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new EditMessage(GROUP, A, 1, " ")), Rejection.INVALID_TEXT);
        }

        @Test
        void theAuthorDeletesForEveryoneWithin48Hours() {
            Instant at = T0.plus(Duration.ofHours(47));
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(at)
                    .when(new DeleteMessage(GROUP, A, 1))
                    .expectEvents(new MessageDeleted(GROUP, 2, 1, A, at));
        }

        @Test
        void deletingAfter48HoursIsRejected() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                    .andGivenCurrentTime(T0.plus(Duration.ofHours(49))).when(new DeleteMessage(GROUP, A, 1)),
                    Rejection.WINDOW_EXPIRED);
        }

        @Test
        void onlyTheAuthorDeletes() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new DeleteMessage(GROUP, B, 1)), Rejection.NOT_YOUR_MESSAGE);
        }

        @Test
        void deletingTwiceIsANoOpAndADeletedMessageCannotBeEdited() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                    .when(new DeleteMessage(GROUP, A, 1)).expectNoEvents();
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                    .andGivenCurrentTime(T0).when(new EditMessage(GROUP, A, 1, "y")), Rejection.MESSAGE_NOT_FOUND);
        }

        @Test
        void membersReactToLiveMessagesOnly() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "👍"))
                    .expectEvents(new ReactionChanged(GROUP, 2, 1, B, "👍", T0));
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, " "))
                    .expectEvents(new ReactionChanged(GROUP, 2, 1, B, null, T0));
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                    .when(new ReactToMessage(GROUP, B, 1, "👍")), Rejection.MESSAGE_NOT_FOUND);
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                    .when(new ReactToMessage(GROUP, OUTSIDER, 1, "👍")), Rejection.NOT_A_MEMBER);
        }
    }

    @Nested
    class Receipts {
        private final Object[] history = {group(A, B, C), sent(GROUP, 1, A, "1"), sent(GROUP, 2, A, "2"),
                sent(GROUP, 3, A, "3"), new ReactionChanged(GROUP, 4, 1, B, "x", T0)};

        @Test
        void deliveryMovesForward() {
            fixture.given(history).andGivenCurrentTime(T0).when(new AcknowledgeDelivery(GROUP, B, 2))
                    .expectEvents(new MessagesDelivered(GROUP, B, 2, T0));
        }

        @Test
        void anAckThatMovesNothingCreatesNoEvent() {
            fixture.given(history).andGiven(new MessagesDelivered(GROUP, B, 2, T0))
                    .when(new AcknowledgeDelivery(GROUP, B, 2)).expectNoEvents();
            fixture.given(history).andGiven(new MessagesDelivered(GROUP, B, 2, T0))
                    .when(new AcknowledgeDelivery(GROUP, B, 1)).expectNoEvents();
        }

        @Test
        void anAckPastTheLastSeqIsRejected() {
            expectRejected(fixture.given(history).when(new AcknowledgeDelivery(GROUP, B, 5)), Rejection.INVALID_REQUEST);
            expectRejected(fixture.given(history).when(new MarkRead(GROUP, B, -1)), Rejection.INVALID_REQUEST);
        }

        @Test
        void aWatermarkNeverPassesTheLastMessage() {
            // seq 4 is a reaction: the watermark stops at message 3
            fixture.given(history).andGivenCurrentTime(T0).when(new MarkRead(GROUP, C, 4))
                    .expectEvents(new MessagesRead(GROUP, C, 3, T0));
        }

        @Test
        void readingLiftsDelivery() {
            fixture.given(history).andGiven(new MessagesRead(GROUP, C, 3, T0))
                    .when(new AcknowledgeDelivery(GROUP, C, 3)).expectNoEvents();
        }

        @Test
        void readOnlyMovesForward() {
            fixture.given(history).andGiven(new MessagesRead(GROUP, C, 3, T0))
                    .when(new MarkRead(GROUP, C, 2)).expectNoEvents();
        }

        @Test
        void onlyMembersAck() {
            expectRejected(fixture.given(history).when(new AcknowledgeDelivery(GROUP, OUTSIDER, 1)),
                    Rejection.NOT_A_MEMBER);
            expectRejected(fixture.given(history).when(new MarkRead(GROUP, OUTSIDER, 1)), Rejection.NOT_A_MEMBER);
        }

        @Test
        void sendingCountsAsReadingUpToOnesOwnMessage() {
            fixture.given(history).when(new MarkRead(GROUP, A, 3)).expectNoEvents();
            fixture.given(history).when(new AcknowledgeDelivery(GROUP, A, 3)).expectNoEvents();
        }

        @Test
        void aNewMemberStartsWithNothingUnread() {
            fixture.given(history).andGiven(new MemberAdded(GROUP, 5, D, A, T0))
                    .when(new MarkRead(GROUP, D, 3)).expectNoEvents();
        }
    }

    @Nested
    class Mute {
        @Test
        void membersMuteAndUnmute() {
            Instant until = T0.plus(Duration.ofHours(8));
            fixture.given(group(A, B)).andGivenCurrentTime(T0).when(new MuteConversation(GROUP, B, until))
                    .expectEvents(new ConversationMuted(GROUP, B, until, T0));
            fixture.given(group(A, B), new ConversationMuted(GROUP, B, null, T0)).andGivenCurrentTime(T0)
                    .when(new UnmuteConversation(GROUP, B))
                    .expectEvents(new ConversationUnmuted(GROUP, B, T0));
        }

        @Test
        void unmutingWhatIsNotMutedIsANoOp() {
            fixture.given(group(A, B)).when(new UnmuteConversation(GROUP, B)).expectNoEvents();
        }

        @Test
        void muteUntilThePastOrByAnOutsiderIsRejected() {
            expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new MuteConversation(GROUP, B, T0.minusSeconds(1))), Rejection.INVALID_REQUEST);
            expectRejected(fixture.given(group(A, B)).when(new MuteConversation(GROUP, OUTSIDER, null)),
                    Rejection.NOT_A_MEMBER);
        }
    }

    @Test
    void theAggregateRoundTripsThroughJacksonForSnapshots() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        fixture.given(group(A, B, C), sent(GROUP, 1, A, "x"), new MessagesRead(GROUP, B, 1, T0),
                        new ConversationMuted(GROUP, C, null, T0), new MessageDeleted(GROUP, 2, 1, A, T0))
                .when(new SendMessage(GROUP, B, "cm", "y", null, null))
                .expectState(state -> {
                    try {
                        String json = mapper.writeValueAsString(state);
                        Conversation copy = mapper.readValue(json, Conversation.class);
                        assertThat(mapper.writeValueAsString(copy)).isEqualTo(json);
                        assertThat(json).contains("\"lastSeq\":3").contains("\"words\"");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }
}
