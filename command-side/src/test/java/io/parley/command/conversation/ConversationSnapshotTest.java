package io.parley.command.conversation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.MessageType;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots: the aggregate with all its state classes survives the Jackson round trip Axon makes. */
class ConversationSnapshotTest extends ConversationFixture {
    private static final Instant FIRST_SENT_AT = T0.minusSeconds(5);

    /**
     * The serializer the gateway's snapshots go through ({@code axon.serializer.general: jackson}): Axon's
     * JacksonSerializer over Spring Boot's ObjectMapper, which ignores unknown properties (so a state field
     * lost in the round trip would pass silently but for the rules checked below) and writes ISO dates.
     * The serializer adds Axon's own modules and resolves the revision from {@code @Revision}.
     */
    private final Serializer serializer = JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().findAndRegisterModules()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS))
            .build();
    private SerializedObject<String> snapshot;

    @Test
    void theAggregateRoundTripsThroughJacksonForSnapshots() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        fixture.given(group(A, B, C), sent(GROUP, 1, A, "x"), new MessagesRead(GROUP, B, 1, T0),
                        new ConversationMuted(GROUP, C, null, T0), new MessageDeleted(GROUP, 2, 1, A, T0))
                .when(new SendMessage(GROUP, B, "cm", "y", null, null))
                .expectState(state -> {
                    try {
                        String json = mapper.writeValueAsString(state);
                        Conversation copy = mapper.readValue(json, Conversation.class);
                        assertThat(mapper.writeValueAsString(copy)).isEqualTo(json);
                        assertThat(json).contains("\"lastSeq\":3").contains("\"words\"");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void aRestoredSnapshotKeepsEveryRule() {
        fixture.given(group(A, B, C),
                        new MessageSent(GROUP, 1, Conversation.messageId(GROUP, 1), "cm-1", A, MessageType.TEXT,
                                "hello", null, null, FIRST_SENT_AT),
                        new MessagesRead(GROUP, B, 1, T0), new ConversationMuted(GROUP, C, null, T0),
                        sent(GROUP, 2, A, "x"), new MessageDeleted(GROUP, 3, 2, A, T0, "del-2"),
                        new MemberAdded(GROUP, 4, D, A, T0), new MessageStarred(GROUP, B, 1, T0),
                        new MessageDeletedForMe(GROUP, C, 1, T0),
                        new InviteCreated(GROUP, "c".repeat(64), A, 1, null, T0))
                .when(new RenameGroup(GROUP, A, "Team")).expectNoEvents()
                .expectState(state -> snapshot = serializer.serialize(state, String.class));

        // an old snapshot (no revision) is skipped by Axon's revision snapshot filter, this one is used
        assertThat(snapshot.getType().getRevision()).isEqualTo("7");
        assertThat(serializer.serialize(serializer.deserialize(snapshot), String.class).getData())
                .isEqualTo(snapshot.getData());

        // send log: a retry still gets the first answer
        restored().when(new SendMessage(GROUP, A, "cm-1", "hello", null, null)).expectNoEvents()
                .expectResultMessagePayload(new SendResult(GROUP, "cm-1", 1, Conversation.messageId(GROUP, 1),
                        FIRST_SENT_AT));
        // change log: a retried STOMP deletion still gets the first answer (the deletion's seq, not a no-op)
        restored().when(new DeleteMessage(GROUP, A, 2, "del-2")).expectNoEvents()
                .expectResultMessagePayload(new MessageChanged(GROUP, 2, 3L));
        // roster: watermarks (read, own messages, a late joiner's start), mute flags, roles and join order
        restored().when(new MarkRead(GROUP, B, 1)).expectNoEvents();
        restored().when(new AcknowledgeDelivery(GROUP, A, 2)).expectNoEvents();
        restored().when(new MarkRead(GROUP, D, 2)).expectNoEvents();
        restored().andGivenCurrentTime(T0).when(new UnmuteConversation(GROUP, C))
                .expectEvents(new ConversationUnmuted(GROUP, C, T0));
        restored().when(new UnmuteConversation(GROUP, B)).expectNoEvents();
        restored().andGivenCurrentTime(T0).when(new LeaveGroup(GROUP, A))
                .expectEvents(new MemberLeft(GROUP, 5, A, T0), new AdminGranted(GROUP, 6, B, null, T0));
        restored().when(new AddMember(GROUP, A, D)).expectException(rejected(Rejection.ALREADY_A_MEMBER));
        // personal marks: what each member starred or deleted for themselves
        restored().when(new StarMessage(GROUP, B, 1)).expectNoEvents();
        restored().when(new DeleteMessageForMe(GROUP, C, 1)).expectNoEvents();
        restored().when(new StarMessage(GROUP, C, 1)).expectException(rejected(Rejection.MESSAGE_NOT_FOUND));
        // invites: each invite's limit and uses
        restored().when(new JoinByInvite(GROUP, D, "c".repeat(64))).expectNoEvents();
        restored().andGivenCurrentTime(T0).andGivenCommands(new JoinByInvite(GROUP, "e-0000", "c".repeat(64)))
                .when(new JoinByInvite(GROUP, "f-0000", "c".repeat(64)))
                .expectException(rejected(Rejection.INVITE_USED_UP));
        // the conversation itself: its id (above), its type and its title
        restored().when(new RenameGroup(GROUP, A, "Team")).expectNoEvents();
        // message log: last seq, messages and deleted ones, recent authors for the edit window
        restored().andGivenCurrentTime(T0).when(new EditMessage(GROUP, A, 1, "y"))
                .expectEvents(new MessageEdited(GROUP, 5, 1, A, "y", T0));
        restored().when(new DeleteMessage(GROUP, A, 2)).expectNoEvents();
        restored().when(new ReactToMessage(GROUP, B, 2, "x")).expectException(rejected(Rejection.MESSAGE_NOT_FOUND));
        restored().when(new SendMessage(GROUP, B, "cm-2", "re", 4L, null))
                .expectException(rejected(Rejection.MESSAGE_NOT_FOUND));
        restored().andGivenCurrentTime(T0).when(new SendMessage(GROUP, B, "cm-2", "re", 1L, null))
                .expectEvents(new MessageSent(GROUP, 5, Conversation.messageId(GROUP, 5), "cm-2", B,
                        MessageType.TEXT, "re", null, 1L, T0));
        restored().when(new MarkRead(GROUP, B, 5)).expectException(rejected(Rejection.INVALID_REQUEST));
        // a member added after the restore starts at the last message: nothing unread
        restored().andGivenCommands(new AddMember(GROUP, A, "e-0000"))
                .when(new MarkRead(GROUP, "e-0000", 2)).expectNoEvents();
    }

    @Test
    void aRestoredSnapshotKeepsTheAnnouncementMode() {
        fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0))
                .when(new RenameGroup(GROUP, A, "Team")).expectNoEvents()
                .expectState(state -> snapshot = serializer.serialize(state, String.class));
        restored().when(new SetAnnouncementMode(GROUP, A, true)).expectNoEvents();
        restored().when(new SendMessage(GROUP, B, "cm-9", "hi", null, null))
                .expectException(rejected(Rejection.NOT_AN_ADMIN));
    }

    @Test
    void aRestoredSnapshotKeepsWhatIsWithheldFromWhom() {
        fixture.given(direct(), sent(DIRECT, 1, A, "seen"),
                        new MessageSent(DIRECT, 2, Conversation.messageId(DIRECT, 2), "cm-2", A, MessageType.TEXT,
                                "withheld", null, null, T0, java.util.List.of(), java.util.List.of(B)))
                .when(new MarkRead(DIRECT, A, 2)).expectNoEvents()
                .expectState(state -> snapshot = serializer.serialize(state, String.class));

        restored().when(new ReactToMessage(DIRECT, B, 2, "x")).expectException(rejected(Rejection.MESSAGE_NOT_FOUND));
        restored().andGivenCurrentTime(T0).when(new MarkRead(DIRECT, B, 2))
                .expectEvents(new MessagesRead(DIRECT, B, 1, T0));
        restored().andGivenCurrentTime(T0).when(new EditMessage(DIRECT, A, 2, "changed")).expectNoEvents();
    }

    /** A fresh fixture holding the aggregate exactly as the snapshot restores it, without its events. */
    private TestExecutor<Conversation> restored() {
        Conversation copy = (Conversation) serializer.deserialize(snapshot);
        return newFixture().givenState(() -> copy);
    }
}
