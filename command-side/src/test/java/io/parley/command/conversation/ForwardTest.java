package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.ForwardMessage;
import io.parley.api.conversation.ConversationCommands.SendResult;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ForwardedFrom;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

/** Forwarding (issue 17): a copy into a conversation the forwarder belongs to, naming its source. */
class ForwardTest extends ConversationFixture {
    private static final ForwardedFrom SOURCE = new ForwardedFrom("source-1", 7);
    private static final MediaRef RECORDED = new MediaRef("md-1", MediaKind.IMAGE, "image/png", 10, 2, 3, "a.png",
            true);

    private static MessageSent copy(long seq, String forwarder, MessageType type, String text, MediaRef media) {
        return new MessageSent(GROUP, seq, Conversation.messageId(GROUP, seq), "fw-1", forwarder, type, text, media,
                null, T0, List.of(), SOURCE);
    }

    @Test
    void aMemberForwardsATextAndTheCopyNamesItsSource() {
        fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "fw-1", SOURCE, "  look  ", null))
                .expectEvents(copy(1, B, MessageType.TEXT, "look", null))
                .expectResultMessagePayload(new SendResult(GROUP, "fw-1", 1, Conversation.messageId(GROUP, 1), T0));
    }

    @Test
    void theSameClientMessageIdAgainIsAnsweredWithTheFirstCopy() {
        fixture.given(group(A, B), copy(1, B, MessageType.TEXT, "look", null)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "fw-1", SOURCE, "look", null))
                .expectNoEvents()
                .expectResultMessagePayload(new SendResult(GROUP, "fw-1", 1, Conversation.messageId(GROUP, 1), T0));
    }

    @Test
    void aForwardedFileIsReusedAsRecordedEvenIfTheForwarderNeverUploadedIt() {
        mediaOwnership = new MediaOwnership() {
            @Override
            public Optional<MediaRef> resolveOwned(MediaRef requested, String accountId) {
                return Optional.empty(); // B uploaded nothing
            }

            @Override
            public Optional<MediaRef> resolveRecorded(String mediaId) {
                return RECORDED.mediaId().equals(mediaId) ? Optional.of(RECORDED) : Optional.empty();
            }
        };
        MediaRef claimed = new MediaRef("md-1", MediaKind.DOCUMENT, "text/plain", 999, null, null, "x.txt", false);
        fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "fw-1", SOURCE, "", claimed))
                .expectEvents(copy(1, B, MessageType.IMAGE, null, RECORDED));
        expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "fw-2", SOURCE, null,
                        new MediaRef("md-unknown", null, null, 0, null, null, null, false))),
                Rejection.MESSAGE_NOT_FOUND);
    }

    @Test
    void theForwarderMustBeAMemberOfTheTarget() {
        expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, OUTSIDER, "fw-1", SOURCE, "hi", null)),
                Rejection.NOT_A_MEMBER);
    }

    @Test
    void aCopyNeedsASourceAndText() {
        expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "fw-1", null, "hi", null)),
                Rejection.INVALID_REQUEST);
        expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "fw-1", SOURCE, " ", null)),
                Rejection.INVALID_TEXT);
        expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                .when(new ForwardMessage(GROUP, B, "", SOURCE, "hi", null)),
                Rejection.INVALID_REQUEST);
    }

    @Test
    void aForwardToSomeoneWhoBlockedTheForwarderIsAcknowledgedAndWithheldFromThem() {
        blocked.add(B + ">" + A);
        fixture.given(direct()).andGivenCurrentTime(T0)
                .when(new ForwardMessage(DIRECT, A, "fw-1", SOURCE, "hi", null))
                .expectEvents(new MessageSent(DIRECT, 1, Conversation.messageId(DIRECT, 1), "fw-1", A, MessageType.TEXT,
                        "hi", null, null, T0, List.of(), SOURCE, List.of(B)));
    }

    @Test
    void whoBlockedSomeoneUnblocksThemBeforeForwardingToThem() {
        blocked.add(A + ">" + B);
        expectRejected(fixture.given(direct()).andGivenCurrentTime(T0)
                .when(new ForwardMessage(DIRECT, A, "fw-1", SOURCE, "hi", null)),
                Rejection.BLOCKED);
    }
}
