package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.api.conversation.ConversationCommands.SendResult;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.Mentions;
import io.parley.api.conversation.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Mentions in a send (README, API): checked against the conversation's current members, {@code @all} expanded. */
class ConversationMentionsTest extends ConversationFixture {

    private static SendMessage send(String sender, List<String> mentions) {
        return new SendMessage(GROUP, sender, "cm-1", "hello", null, null, mentions);
    }

    private static MessageSent sentWith(long seq, String sender, List<String> mentions) {
        return new MessageSent(GROUP, seq, Conversation.messageId(GROUP, seq), "cm-1", sender, MessageType.TEXT,
                "hello", null, null, T0, mentions);
    }

    @Test
    void aMemberMayBeMentionedAndTheSentTickNamesThem() {
        fixture.given(group(A, B, C)).andGivenCurrentTime(T0)
                .when(send(A, List.of(C, B)))
                .expectEvents(sentWith(1, A, List.of(C, B)))
                .expectResultMessagePayload(new SendResult(GROUP, "cm-1", 1, Conversation.messageId(GROUP, 1), T0,
                        List.of(C, B)));
    }

    @Test
    void noMentionsStoresAnEmptyList() {
        fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(send(A, null))
                .expectEvents(sentWith(1, A, List.of()));
    }

    @Test
    void aNonMemberCannotBeMentioned() {
        expectRejected(fixture.given(group(A, B)).when(send(A, List.of(B, OUTSIDER))), Rejection.MENTION_NOT_A_MEMBER);
    }

    @Test
    void aMemberWhoLeftIsNoLongerMentionable() {
        expectRejected(fixture.given(group(A, B, C), new MemberLeft(GROUP, 1, C, T0)).when(send(A, List.of(C))),
                Rejection.MENTION_NOT_A_MEMBER);
    }

    @Test
    void aNullEntryIsRefused() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        expectRejected(fixture.given(group(A, B)).when(send(A, withNull)), Rejection.MENTION_NOT_A_MEMBER);
    }

    @Test
    void allMentionsEveryCurrentMemberButTheSender() {
        fixture.given(group(A, B, C), new MemberAdded(GROUP, 1, D, A, T0)).andGivenCurrentTime(T0)
                .when(send(B, List.of(Mentions.ALL)))
                .expectEvents(sentWith(2, B, List.of(A, C, D)));
    }

    @Test
    void allIsOnlyForGroups() {
        expectRejected(fixture.given(direct())
                        .when(new SendMessage(DIRECT, A, "cm-1", "hi", null, null, List.of(Mentions.ALL))),
                Rejection.INVALID_MENTIONS);
    }

    @Test
    void aDirectChatPeerMayBeMentioned() {
        fixture.given(direct()).andGivenCurrentTime(T0)
                .when(new SendMessage(DIRECT, A, "cm-1", "hi", null, null, List.of(B)))
                .expectEvents(new MessageSent(DIRECT, 1, Conversation.messageId(DIRECT, 1), "cm-1", A,
                        MessageType.TEXT, "hi", null, null, T0, List.of(B)));
    }

    @Test
    void duplicatesAreStoredOnceInTheClientsOrder() {
        fixture.given(group(A, B, C)).andGivenCurrentTime(T0)
                .when(send(A, List.of(C, B, C, Mentions.ALL, B)))
                .expectEvents(sentWith(1, A, List.of(C, B)));
    }

    @Test
    void atMostTheLimitOfEntries() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= Mentions.MAX; i++) {
            tooMany.add(B);
        }
        expectRejected(fixture.given(group(A, B)).when(send(A, tooMany)), Rejection.INVALID_MENTIONS);
    }

    @Test
    void exactlyTheLimitIsAccepted() {
        List<String> limit = new ArrayList<>();
        for (int i = 0; i < Mentions.MAX; i++) {
            limit.add(B);
        }
        fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(send(A, limit))
                .expectEvents(sentWith(1, A, List.of(B)));
    }

    @Test
    void aRetryIsAnsweredWithTheFirstMentions() {
        fixture.given(group(A, B), sentWith(1, A, List.of(B)))
                .when(send(A, List.of(OUTSIDER)))
                .expectNoEvents()
                .expectResultMessagePayload(new SendResult(GROUP, "cm-1", 1, Conversation.messageId(GROUP, 1), T0,
                        List.of(B)));
    }
}
