package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Direct chats: the derived id, opening twice, no membership changes (blocking: {@link BlockingTest}). */
class DirectConversationTest extends ConversationFixture {
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
    void directChatsHaveNoMembershipChanges() {
        expectRejected(fixture.given(direct()).when(new AddMember(DIRECT, A, C)), Rejection.NOT_A_GROUP);
        expectRejected(fixture.given(direct()).when(new LeaveGroup(DIRECT, A)), Rejection.NOT_A_GROUP);
    }
}
