package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

/**
 * Moderation (README, Reports and moderation): a group's admins delete any message of the group for everyone;
 * platform ADMINs, members or not, delete any group message and remove any member. Each is the usual event,
 * naming the moderator.
 */
class ModerationTest extends ConversationFixture {
    private static final String MODERATOR = "m-0000";

    @Test
    void aGroupAdminDeletesAMembersMessageWhateverItsAge() {
        Instant late = T0.plus(Duration.ofDays(30));
        fixture.given(group(A, B), sent(GROUP, 1, B, "spam")).andGivenCurrentTime(late)
                .when(new DeleteMessage(GROUP, A, 1)).expectEvents(new MessageDeleted(GROUP, 2, 1, A, late));
    }

    @Test
    void aGroupAdminsOwnRecentMessagesKeepTheAuthorsWindow() {
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "x"))
                .andGivenCurrentTime(T0.plus(Duration.ofHours(49))).when(new DeleteMessage(GROUP, A, 1)),
                Rejection.WINDOW_EXPIRED);
    }

    @Test
    void aPlainMemberDeletesOnlyTheirOwn() {
        expectRejected(fixture.given(group(A, B, C), sent(GROUP, 1, C, "x")).andGivenCurrentTime(T0)
                .when(new DeleteMessage(GROUP, B, 1)), Rejection.NOT_YOUR_MESSAGE);
    }

    @Test
    void aGroupAdminCannotModerateWhatTheyNeverSaw() {
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, B, "x"), new MemberAdded(GROUP, 2, C, A, T0),
                new AdminGranted(GROUP, 3, C, A, T0)).when(new DeleteMessage(GROUP, C, 1)), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void aPlatformAdminDeletesAnyGroupMessageWithoutBeingAMember() {
        fixture.given(group(A, B), sent(GROUP, 1, B, "spam")).andGivenCurrentTime(T0)
                .when(new ModerateMessage(GROUP, MODERATOR, 1))
                .expectEvents(new MessageDeleted(GROUP, 2, 1, MODERATOR, T0));
        fixture.given(group(A, B), sent(GROUP, 1, B, "spam"), new MessageDeleted(GROUP, 2, 1, MODERATOR, T0))
                .when(new ModerateMessage(GROUP, MODERATOR, 1)).expectNoEvents();
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, B, "x"), new ReactionChanged(GROUP, 2, 1, A, "x", T0))
                .when(new ModerateMessage(GROUP, MODERATOR, 2)), Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void platformModerationIsForGroups() {
        expectRejected(fixture.given(direct(), sent(DIRECT, 1, A, "x")).when(new ModerateMessage(DIRECT, MODERATOR, 1)),
                Rejection.NOT_A_GROUP);
        expectRejected(fixture.given(direct()).when(new ModerateMember(DIRECT, MODERATOR, A)), Rejection.NOT_A_GROUP);
    }

    @Test
    void aPlatformAdminRemovesAMember() {
        fixture.given(group(A, B, C)).andGivenCurrentTime(T0).when(new ModerateMember(GROUP, MODERATOR, B))
                .expectEvents(new MemberRemoved(GROUP, 1, B, MODERATOR, T0));
        expectRejected(fixture.given(group(A, B)).when(new ModerateMember(GROUP, MODERATOR, C)), Rejection.NOT_A_MEMBER);
    }

    @Test
    void removingTheLastAdminPromotesTheOldestMember() {
        fixture.given(group(A, B, C)).andGivenCurrentTime(T0).when(new ModerateMember(GROUP, MODERATOR, A))
                .expectEvents(new MemberRemoved(GROUP, 1, A, MODERATOR, T0), new AdminGranted(GROUP, 2, B, null, T0));
    }
}
