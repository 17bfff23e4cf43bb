package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import org.junit.jupiter.api.Test;

/** Delivery and read receipts: watermarks that only move forward and never pass the last message. */
class ReceiptsTest extends ConversationFixture {
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
