package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Groups: creation, the member limit, admins, adding, removing, leaving and promotion. */
class GroupMembershipTest extends ConversationFixture {
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
