package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.MessageType;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Blocking as in WhatsApp (README, Blocking): B blocked A. A is never told: A's sends to B are acknowledged
 * and stored withheld from B, B never learns of them (replies, reactions, receipts), B must unblock before
 * writing to A, and B is left out of groups A creates or adds to. In groups nothing is withheld.
 */
class BlockingTest extends ConversationFixture {

    private static MessageSent withheld(long seq, String sender, String text, String from) {
        return new MessageSent(DIRECT, seq, Conversation.messageId(DIRECT, seq), "c" + seq, sender, MessageType.TEXT,
                text, null, null, T0, List.of(), List.of(from));
    }

    @Test
    void aBlockedUserStillOpensAChatWithTheBlocker() {
        blocked.add(B + ">" + A);
        fixture.givenCurrentTime(T0).when(new StartDirectConversation(DIRECT, A, B))
                .expectEvents(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0))
                .expectResultMessagePayload(new ConversationOpened(DIRECT, true));
    }

    @Test
    void aBlockedUsersSendIsAcknowledgedAndWithheldFromTheBlocker() {
        blocked.add(B + ">" + A);
        fixture.given(direct()).andGivenCurrentTime(T0).when(new SendMessage(DIRECT, A, "c1", "hi", null, null))
                .expectEvents(withheld(1, A, "hi", B))
                .expectResultMessagePayload(new SendResult(DIRECT, "c1", 1, Conversation.messageId(DIRECT, 1), T0,
                        List.of()));
    }

    @Test
    void aRetryOfAWithheldSendAnswersTheFirstResult() {
        blocked.add(B + ">" + A);
        fixture.given(direct(), withheld(1, A, "hi", B)).when(new SendMessage(DIRECT, A, "c1", "hi", null, null))
                .expectNoEvents().expectResultMessagePayload(new SendResult(DIRECT, "c1", 1,
                        Conversation.messageId(DIRECT, 1), T0, List.of()));
    }

    @Test
    void afterAnUnblockSendsReachTheOtherAgain() {
        // the block list no longer names A: the next message is withheld from no one
        fixture.given(direct(), withheld(1, A, "hi", B)).andGivenCurrentTime(T0)
                .when(new SendMessage(DIRECT, A, "c2", "again", null, null))
                .expectEvents(sent(DIRECT, 2, A, "again"));
    }

    @Test
    void theBlockerMustUnblockBeforeWriting() {
        blocked.add(B + ">" + A);
        expectRejected(fixture.given(direct()).when(new SendMessage(DIRECT, B, "c1", "hi", null, null)),
                Rejection.BLOCKED);
    }

    @Test
    void theBlockerCannotReplyOrReactToWhatWasWithheldFromThem() {
        Object[] history = {direct(), withheld(1, A, "hi", B)};
        expectRejected(fixture.given(history).when(new SendMessage(DIRECT, B, "c2", "re", 1L, null)),
                Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(history).when(new ReactToMessage(DIRECT, B, 1, "x")),
                Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(history).when(new DeleteMessage(DIRECT, B, 1)), Rejection.MESSAGE_NOT_FOUND);
        expectRejected(fixture.given(history).when(new EditMessage(DIRECT, B, 1, "x")), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void theSendersChangesToAWithheldMessageAreAcknowledgedAndRecordNothing() {
        Object[] history = {direct(), withheld(1, A, "hi", B)};
        fixture.given(history).andGivenCurrentTime(T0).when(new EditMessage(DIRECT, A, 1, "hey"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
        fixture.given(history).andGivenCurrentTime(T0).when(new DeleteMessage(DIRECT, A, 1))
                .expectSuccessfulHandlerExecution().expectNoEvents();
        fixture.given(history).andGivenCurrentTime(T0).when(new ReactToMessage(DIRECT, A, 1, "x"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    /**
     * After the unblock B reads up to A's next message: the watermark passes the messages withheld from B by seq, and
     * its event names them, so no view or live receipt counts them as received; those below B's previous watermark
     * were named by an earlier event (or by none: they were below it before the block), and other members' never.
     */
    @Test
    void aWatermarkAfterAnUnblockNamesTheWithheldMessagesItPasses() {
        Object[] history = {direct(), sent(DIRECT, 1, A, "before"), withheld(2, A, "hidden", B),
                withheld(3, A, "hidden too", B), sent(DIRECT, 4, A, "after the unblock")};
        fixture.given(history).andGivenCurrentTime(T0).when(new MarkRead(DIRECT, B, 4))
                .expectEvents(new MessagesRead(DIRECT, B, 4, T0, List.of(2L, 3L)));
        fixture.given(history).andGivenCurrentTime(T0).when(new AcknowledgeDelivery(DIRECT, B, 4))
                .expectEvents(new MessagesDelivered(DIRECT, B, 4, T0, List.of(2L, 3L)));
        // blocked and unblocked twice: the next watermark names only what lies above the previous one
        fixture.given(direct(), sent(DIRECT, 1, A, "before"), withheld(2, A, "hidden", B),
                        sent(DIRECT, 3, A, "after the first unblock"), new MessagesRead(DIRECT, B, 3, T0, List.of(2L)),
                        withheld(4, A, "hidden again", B), sent(DIRECT, 5, A, "after the second unblock"))
                .andGivenCurrentTime(T0).when(new MarkRead(DIRECT, B, 5))
                .expectEvents(new MessagesRead(DIRECT, B, 5, T0, List.of(4L)));
        // the sender's own watermark passes nothing withheld from them
        fixture.given(history).andGivenCurrentTime(T0)
                .when(new MarkRead(DIRECT, A, 4)).expectNoEvents();
    }

    @Test
    void theBlockersReceiptsNeverReachAWithheldMessage() {
        Object[] history = {direct(), sent(DIRECT, 1, A, "before"), withheld(2, A, "hidden", B),
                withheld(3, A, "hidden too", B)};
        fixture.given(history).andGivenCurrentTime(T0).when(new MarkRead(DIRECT, B, 3))
                .expectEvents(new MessagesRead(DIRECT, B, 1, T0));
        fixture.given(history).andGivenCurrentTime(T0).when(new AcknowledgeDelivery(DIRECT, B, 3))
                .expectEvents(new MessagesDelivered(DIRECT, B, 1, T0));
        fixture.given(direct(), withheld(1, A, "hidden", B)).when(new MarkRead(DIRECT, B, 1)).expectNoEvents();
    }

    @Test
    void inGroupsABlockedMembersMessagesReachEveryone() {
        blocked.add(B + ">" + A);
        fixture.given(group(A, B, C)).andGivenCurrentTime(T0).when(new SendMessage(GROUP, A, "c1", "hi", null, null))
                .expectEvents(sent(GROUP, 1, A, "hi"));
    }

    @Test
    void whoeverBlockedTheCreatorIsLeftOutOfANewGroup() {
        blocked.add(B + ">" + A);
        fixture.givenNoPriorActivity().andGivenCurrentTime(T0)
                .when(new CreateGroup(GROUP, A, "Team", List.of(B, C)))
                .expectEvents(new GroupCreated(GROUP, "Team", A, List.of(A, C), T0));
    }

    @Test
    void whoeverBlockedTheRequesterIsLeftOutOfAnAddWithoutTellingThem() {
        blocked.add(D + ">" + A);
        fixture.given(group(A, B, C)).when(new AddMember(GROUP, A, D))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void theBlockerMayAddTheOneTheyBlocked() {
        blocked.add(A + ">" + D);
        fixture.given(group(A, B, C)).andGivenCurrentTime(T0).when(new AddMember(GROUP, A, D))
                .expectEvents(new MemberAdded(GROUP, 1, D, A, T0));
    }
}
