package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.DeleteMessage;
import io.parley.api.conversation.ConversationCommands.EditMessage;
import io.parley.api.conversation.ConversationCommands.ReactToMessage;
import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import org.junit.jupiter.api.Test;

/**
 * A member sees only what follows their (last) joining (docs/design.md, membership intervals; issue 15): a
 * message from before answers as one that does not exist, for reactions, edits, deletions and replies alike,
 * so a late joiner can neither act on nor probe the past (AuthorizationMatrixIT found the reaction accepted).
 */
class LateJoinerWritesTest extends ConversationFixture {

    @Test
    void aLateJoinerCannotReactToAMessageFromBeforeJoining() {
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0))
                .andGivenCurrentTime(T0).when(new ReactToMessage(GROUP, C, 1, "👍")), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void aLateJoinerReactsToWhatCameAfter() {
        fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0), sent(GROUP, 3, A, "y"))
                .andGivenCurrentTime(T0).when(new ReactToMessage(GROUP, C, 3, "👍"))
                .expectEvents(new ReactionChanged(GROUP, 4, 3, C, "👍", T0));
    }

    @Test
    void aReAddedMemberCannotEditOrDeleteTheirMessageFromTheEarlierInterval() {
        Object[] history = {group(A, B, C), sent(GROUP, 1, C, "mine"), new MemberRemoved(GROUP, 2, C, A, T0),
                new MemberAdded(GROUP, 3, C, A, T0)};
        expectRejected(fixture.given(history).andGivenCurrentTime(T0).when(new EditMessage(GROUP, C, 1, "z")),
                Rejection.MESSAGE_NOT_FOUND);
        expectRejected(newFixture().given(history).andGivenCurrentTime(T0).when(new DeleteMessage(GROUP, C, 1)),
                Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void aLateJoinerCannotReplyToAMessageFromBeforeJoining() {
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"), new MemberAdded(GROUP, 2, C, A, T0))
                .andGivenCurrentTime(T0).when(new SendMessage(GROUP, C, "c-reply", "re", 1L, null)),
                Rejection.MESSAGE_NOT_FOUND);
    }
}
