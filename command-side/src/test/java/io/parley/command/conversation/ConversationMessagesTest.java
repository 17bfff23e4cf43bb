package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The message path: sending (dedup, limits, replies), media, editing, deleting and reacting. */
class ConversationMessagesTest extends ConversationFixture {
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
            for (int i = 1; i <= SendLog.CAPACITY + 1; i++) {
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
                    .expectEvents(new MessageEdited(GROUP, 2, 1, A, "y", T0.plusSeconds(60)))
                    .expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
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
                    .expectEvents(new MessageDeleted(GROUP, 2, 1, A, at))
                    .expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
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
                    .when(new DeleteMessage(GROUP, A, 1)).expectNoEvents()
                    .expectResultMessagePayload(new MessageChanged(GROUP, 1, null));
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                    .andGivenCurrentTime(T0).when(new EditMessage(GROUP, A, 1, "y")), Rejection.MESSAGE_NOT_FOUND);
        }

        @Test
        void membersReactToLiveMessagesOnly() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "👍"))
                    .expectEvents(new ReactionChanged(GROUP, 2, 1, B, "👍", T0))
                    .expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, " "))
                    .expectEvents(new ReactionChanged(GROUP, 2, 1, B, null, T0));
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                    .when(new ReactToMessage(GROUP, B, 1, "👍")), Rejection.MESSAGE_NOT_FOUND);
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                    .when(new ReactToMessage(GROUP, OUTSIDER, 1, "👍")), Rejection.NOT_A_MEMBER);
        }
    }

    /** STOMP's edit, delete and react frames carry a clientMessageId: a retried frame changes nothing more. */
    @Nested
    class RetriedChanges {
        @Test
        void aRetriedEditGetsTheFirstAnswerAndStoresNoSecondEdit() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"),
                            new MessageEdited(GROUP, 2, 1, A, "y", T0.plusSeconds(60), "e1"))
                    .andGivenCurrentTime(T0.plusSeconds(61))
                    .when(new EditMessage(GROUP, A, 1, "y", "e1"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
        }

        @Test
        void theFirstEditWithAnIdRecordsItInItsEvent() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0.plusSeconds(60))
                    .when(new EditMessage(GROUP, A, 1, "y", "e1"))
                    .expectEvents(new MessageEdited(GROUP, 2, 1, A, "y", T0.plusSeconds(60), "e1"))
                    .expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
        }

        @Test
        void aRetryIsAnsweredEvenAfterTheWindowClosedOrTheMessageWasDeleted() {
            // as a send's retry: the rules that would now refuse it are not asked again
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageEdited(GROUP, 2, 1, A, "y", T0, "e1"))
                    .andGivenCurrentTime(T0.plus(Duration.ofHours(1)))
                    .when(new EditMessage(GROUP, A, 1, "y", "e1"))
                    .expectNoEvents().expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0, "d1"))
                    .andGivenCurrentTime(T0)
                    .when(new DeleteMessage(GROUP, A, 1, "d1"))
                    .expectNoEvents().expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
        }

        @Test
        void aRetriedDeletionGetsTheSeqOfTheDeletionNotANoOp() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new DeleteMessage(GROUP, A, 1, "d1"))
                    .expectEvents(new MessageDeleted(GROUP, 2, 1, A, T0, "d1"));
            // another id for the same deletion is a second request: already deleted, nothing stored
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0, "d1"))
                    .andGivenCurrentTime(T0)
                    .when(new DeleteMessage(GROUP, A, 1, "d2"))
                    .expectNoEvents().expectResultMessagePayload(new MessageChanged(GROUP, 1, null));
        }

        @Test
        void aRetriedReactionStoresNoSecondReaction() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "👍", "r1"))
                    .expectEvents(new ReactionChanged(GROUP, 2, 1, B, "👍", T0, "r1"));
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new ReactionChanged(GROUP, 2, 1, B, "👍", T0, "r1"))
                    .andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "👍", "r1"))
                    .expectNoEvents().expectResultMessagePayload(new MessageChanged(GROUP, 1, 2L));
            // a new id is a new reaction, even with the same emoji
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new ReactionChanged(GROUP, 2, 1, B, "👍", T0, "r1"))
                    .andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "❤", "r2"))
                    .expectEvents(new ReactionChanged(GROUP, 3, 1, B, "❤", T0, "r2"));
        }

        @Test
        void clientMessageIdsOfChangesAreScopedPerMember() {
            // C reusing B's id reacts for themselves
            fixture.given(group(A, B, C), sent(GROUP, 1, A, "x"), new ReactionChanged(GROUP, 2, 1, B, "👍", T0, "r1"))
                    .andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, C, 1, "👍", "r1"))
                    .expectEvents(new ReactionChanged(GROUP, 3, 1, C, "👍", T0, "r1"));
        }

        @Test
        void aChangeWithoutAnIdFromRestIsNeverDeduplicated() {
            fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new ReactionChanged(GROUP, 2, 1, B, "👍", T0))
                    .andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "👍"))
                    .expectEvents(new ReactionChanged(GROUP, 3, 1, B, "👍", T0));
        }

        @Test
        void anOverlongClientMessageIdIsRefused() {
            expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                    .when(new ReactToMessage(GROUP, B, 1, "👍", "x".repeat(200))), Rejection.INVALID_REQUEST);
        }
    }
}
