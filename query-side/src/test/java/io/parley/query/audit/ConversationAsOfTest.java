package io.parley.query.audit;

import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.MessageType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationAsOfTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static final List<Object> HISTORY = List.of(
            new GroupCreated("g", "Team", "alice", List.of("alice", "bob", "carol"), T),
            new MessageSent("g", 1, "m1", "cm1", "alice", MessageType.TEXT, "hello", null, null, T.plusSeconds(1)),
            new MessageSent("g", 2, "m2", "cm2", "bob", MessageType.TEXT, "secret", null, null, T.plusSeconds(2)),
            new MessagesDelivered("g", "bob", 2, T.plusSeconds(3)),
            new MessagesRead("g", "carol", 1, T.plusSeconds(4)),
            new GroupRenamed("g", 3, "Renamed", "alice", T.plusSeconds(5)),
            new MemberRemoved("g", 4, "carol", "alice", T.plusSeconds(6)),
            new MessageEdited("g", 5, 1, "alice", "hello!", T.plusSeconds(7)),
            new MessageDeleted("g", 6, 2, "bob", T.plusSeconds(8)),
            new MemberAdded("g", 7, "dave", "alice", T.plusSeconds(9)),
            new AdminGranted("g", 8, "bob", "alice", T.plusSeconds(10)));

    private static ConversationAsOf.State upTo(int events) {
        ConversationAsOf c = new ConversationAsOf("g");
        HISTORY.subList(0, events).forEach(c::apply);
        return c.state(T.plusSeconds(events));
    }

    /**
     * Bob blocked Alice, so her second message was withheld from him; after the unblock he reads up to her third:
     * his watermark covers seq 2 by number, yet he never received it, so it shows neither delivered nor read to him.
     */
    @Test
    void aWatermarkSetAfterAnUnblockDoesNotReachTheMessagesWithheldFromThatMember() {
        ConversationAsOf c = new ConversationAsOf("d");
        List.of(new DirectConversationStarted("d", List.of("alice", "bob"), "alice", T),
                new MessageSent("d", 1, "m1", "cm1", "alice", MessageType.TEXT, "before", null, null, T.plusSeconds(1),
                        List.of(), List.of()),
                new MessageSent("d", 2, "m2", "cm2", "alice", MessageType.TEXT, "withheld", null, null,
                        T.plusSeconds(2), List.of(), List.of("bob")),
                new MessageSent("d", 3, "m3", "cm3", "alice", MessageType.TEXT, "after", null, null, T.plusSeconds(3),
                        List.of(), List.of()),
                new MessagesRead("d", "bob", 3, T.plusSeconds(4))).forEach(c::apply);
        List<ConversationAsOf.Message> messages = c.state(T.plusSeconds(5)).messages();
        assertThat(messages).extracting(ConversationAsOf.Message::seq).containsExactly(1L, 2L, 3L);
        assertThat(messages.get(0).readBy()).containsExactly("bob");
        assertThat(messages.get(1).readBy()).isEmpty();
        assertThat(messages.get(1).deliveredTo()).isEmpty();
        assertThat(messages.get(2).readBy()).containsExactly("bob");
        assertThat(messages.get(2).deliveredTo()).containsExactly("bob");
    }

    @Test
    void beforeTheChangesTheOldTitleMembersAndTextsShow() {
        ConversationAsOf.State before = upTo(5);
        assertThat(before.type()).isEqualTo(ConversationType.GROUP);
        assertThat(before.title()).isEqualTo("Team");
        assertThat(before.members()).containsExactly(new ConversationAsOf.Member("alice", MemberRole.ADMIN),
                new ConversationAsOf.Member("bob", MemberRole.MEMBER), new ConversationAsOf.Member("carol", MemberRole.MEMBER));
        ConversationAsOf.Message second = before.messages().get(1);
        assertThat(second.text()).isEqualTo("secret");
        assertThat(second.deleted()).isFalse();
        ConversationAsOf.Message first = before.messages().get(0);
        assertThat(first.deliveredTo()).containsExactly("bob", "carol");
        assertThat(first.readBy()).containsExactly("carol");
        // the sender is never among the recipients
        assertThat(second.deliveredTo()).isEmpty();
        assertThat(first.editedAt()).isNull();
    }

    @Test
    void afterTheChangesTheyShow() {
        ConversationAsOf.State after = upTo(HISTORY.size());
        assertThat(after.title()).isEqualTo("Renamed");
        assertThat(after.members()).extracting(ConversationAsOf.Member::userId).containsExactly("alice", "bob", "dave");
        assertThat(after.members().get(1).role()).isEqualTo(MemberRole.ADMIN);
        ConversationAsOf.Message first = after.messages().get(0);
        assertThat(first.text()).isEqualTo("hello!");
        assertThat(first.editedAt()).isEqualTo(T.plusSeconds(7));
        ConversationAsOf.Message second = after.messages().get(1);
        assertThat(second.deleted()).isTrue();
        assertThat(second.text()).isNull();
    }

    @Test
    void betweenRemovalAndDeletion() {
        ConversationAsOf.State between = upTo(7);
        assertThat(between.title()).isEqualTo("Renamed");
        assertThat(between.members()).extracting(ConversationAsOf.Member::userId).containsExactly("alice", "bob");
        assertThat(between.messages().get(1).deleted()).isFalse();
        assertThat(between.messages().get(1).text()).isEqualTo("secret");
        // a removed member's receipts stay as they were
        assertThat(between.messages().get(0).readBy()).containsExactly("carol");
    }

    @Test
    void nothingAppliedMeansNoConversation() {
        assertThat(new ConversationAsOf("g").exists()).isFalse();
        assertThat(upTo(1).messages()).isEmpty();
    }
}
