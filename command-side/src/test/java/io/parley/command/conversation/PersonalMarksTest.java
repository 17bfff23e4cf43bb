package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.DeleteMessageForMe;
import io.parley.api.conversation.ConversationCommands.StarMessage;
import io.parley.api.conversation.ConversationCommands.UnstarMessage;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageDeletedForMe;
import io.parley.api.conversation.ConversationEvents.MessageStarred;
import io.parley.api.conversation.ConversationEvents.MessageUnstarred;
import org.junit.jupiter.api.Test;

/** Stars and delete-for-me (issue 17): one member's own marks on messages they can see. */
class PersonalMarksTest extends ConversationFixture {

    @Test
    void aMemberStarsAVisibleMessageOnce() {
        fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                .when(new StarMessage(GROUP, B, 1))
                .expectEvents(new MessageStarred(GROUP, B, 1, T0));
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageStarred(GROUP, B, 1, T0))
                .when(new StarMessage(GROUP, B, 1)).expectNoEvents();
    }

    @Test
    void starringNeedsALiveMessageTheMemberMaySee() {
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                .when(new StarMessage(GROUP, OUTSIDER, 1)), Rejection.NOT_A_MEMBER);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                .when(new StarMessage(GROUP, B, 2)), Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                .when(new StarMessage(GROUP, B, 1)), Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0))
                .when(new StarMessage(GROUP, C, 1)), Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeletedForMe(GROUP, B, 1, T0))
                .when(new StarMessage(GROUP, B, 1)), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void unstarringAStarredMessageOnly() {
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageStarred(GROUP, B, 1, T0))
                .andGivenCurrentTime(T0).when(new UnstarMessage(GROUP, B, 1))
                .expectEvents(new MessageUnstarred(GROUP, B, 1, T0));
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageStarred(GROUP, A, 1, T0))
                .when(new UnstarMessage(GROUP, B, 1)).expectNoEvents();
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                .when(new UnstarMessage(GROUP, B, 3)), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void aMemberDeletesForThemselvesOnceAndATombstoneToo() {
        fixture.given(group(A, B), sent(GROUP, 1, A, "x")).andGivenCurrentTime(T0)
                .when(new DeleteMessageForMe(GROUP, B, 1))
                .expectEvents(new MessageDeletedForMe(GROUP, B, 1, T0));
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeletedForMe(GROUP, B, 1, T0))
                .when(new DeleteMessageForMe(GROUP, B, 1)).expectNoEvents();
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageDeleted(GROUP, 2, 1, A, T0))
                .andGivenCurrentTime(T0).when(new DeleteMessageForMe(GROUP, B, 1))
                .expectEvents(new MessageDeletedForMe(GROUP, B, 1, T0));
    }

    @Test
    void deletingForMeNeedsAMessageTheMemberMaySee() {
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                .when(new DeleteMessageForMe(GROUP, OUTSIDER, 1)), Rejection.NOT_A_MEMBER);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0))
                .when(new DeleteMessageForMe(GROUP, B, 2)), Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0))
                .when(new DeleteMessageForMe(GROUP, C, 1)), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void deletingForMeUnstars() {
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MessageStarred(GROUP, B, 1, T0),
                        new MessageDeletedForMe(GROUP, B, 1, T0))
                .when(new UnstarMessage(GROUP, B, 1)).expectNoEvents();
    }
}
