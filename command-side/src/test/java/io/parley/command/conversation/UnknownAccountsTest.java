package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ghost members (issue 15): no event ever names an account nobody registered. The aggregate asks the
 * KnownAccounts port before applying, and without a port it fails closed.
 */
class UnknownAccountsTest extends ConversationFixture {
    static final String GHOST = "g-0000";

    @Test
    void aDirectChatWithAnUnregisteredPeerIsRefused() {
        unregistered.add(GHOST);
        String id = ConversationIds.direct(A, GHOST);
        expectRejected(fixture.givenNoPriorActivity().when(new StartDirectConversation(id, A, GHOST)),
                Rejection.ACCOUNT_NOT_FOUND);
        assertThat(knownAccountQueries).containsExactly(List.of(GHOST));
    }

    @Test
    void aDirectChatWithARegisteredPeerIsStarted() {
        fixture.givenNoPriorActivity().andGivenCurrentTime(T0).when(new StartDirectConversation(DIRECT, A, B))
                .expectEvents(new DirectConversationStarted(DIRECT, List.of(A, B), A, T0));
    }

    @Test
    void reopeningAnExistingDirectChatAsksNothing() {
        fixture.given(direct()).when(new StartDirectConversation(DIRECT, A, B)).expectNoEvents();
        assertThat(knownAccountQueries).isEmpty();
    }

    @Test
    void aGroupWithOneUnregisteredMemberIsRefusedInOneQuestion() {
        unregistered.add(GHOST);
        expectRejected(fixture.givenNoPriorActivity().when(new CreateGroup(GROUP, A, "Team", List.of(B, GHOST, C))),
                Rejection.ACCOUNT_NOT_FOUND);
        // the creator is the signed-in caller: only the others are asked about, all at once
        assertThat(knownAccountQueries).containsExactly(List.of(B, GHOST, C));
    }

    @Test
    void aGroupOf100RegisteredMembersIsCreated() {
        List<String> others = IntStream.range(0, 99).mapToObj(i -> "m" + i).toList();
        fixture.givenNoPriorActivity().andGivenCurrentTime(T0).when(new CreateGroup(GROUP, A, "Big", others))
                .expectSuccessfulHandlerExecution();
        assertThat(knownAccountQueries).hasSize(1);
        assertThat(knownAccountQueries.get(0)).hasSize(99);
    }

    @Test
    void addingAnUnregisteredMemberIsRefused() {
        unregistered.add(GHOST);
        expectRejected(fixture.given(group(A, B)).when(new AddMember(GROUP, A, GHOST)), Rejection.ACCOUNT_NOT_FOUND);
    }

    @Test
    void addingARegisteredMemberStillWorks() {
        fixture.given(group(A, B)).andGivenCurrentTime(T0).when(new AddMember(GROUP, A, C))
                .expectEvents(new MemberAdded(GROUP, 1, C, A, T0));
    }

    @Test
    void withoutAPortEveryOtherAccountCountsAsUnknown() {
        AggregateTestFixture<Conversation> bare = new AggregateTestFixture<>(Conversation.class);
        bare.registerInjectableResource(new ConversationRules(ConversationProperties.defaults(), null, null, null));
        expectRejected(bare.givenNoPriorActivity().when(new CreateGroup(GROUP, A, "Team", List.of(B))),
                Rejection.ACCOUNT_NOT_FOUND);
        // a group of the creator alone names nobody else
        bare.givenNoPriorActivity().andGivenCurrentTime(T0).when(new CreateGroup(GROUP, A, "Solo", List.of()))
                .expectEvents(new GroupCreated(GROUP, "Solo", A, List.of(A), T0));
    }

    @Test
    void nulIsRefusedInEveryTextAMemberTypes() {
        expectRejected(fixture.givenNoPriorActivity().when(new CreateGroup(GROUP, A, "Te\0am", List.of(B))),
                Rejection.INVALID_REQUEST);
        expectRejected(fixture.given(group(A, B)).when(new RenameGroup(GROUP, A, "x\0")), Rejection.INVALID_REQUEST);
        expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, A, "c1", "hi\0there", null, null)),
                Rejection.INVALID_TEXT);
        expectRejected(fixture.given(group(A, B)).when(new SendMessage(GROUP, A, "c\0", "hi", null, null)),
                Rejection.INVALID_REQUEST);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "hi")).andGivenCurrentTime(T0)
                .when(new EditMessage(GROUP, A, 1, "edit\0")), Rejection.INVALID_TEXT);
        expectRejected(fixture.given(group(A, B), sent(GROUP, 1, A, "hi"))
                .when(new ReactToMessage(GROUP, B, 1, "\0")), Rejection.INVALID_REQUEST);
    }
}
