package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

/** Muting and unmuting a conversation. */
class MuteTest extends ConversationFixture {
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
