package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.MessageType;
import io.parley.api.conversation.ForwardedFrom;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

/** Issue 17, Groups: demoting admins, description, avatar, announcement groups and invite links. */
class GroupSettingsTest extends ConversationFixture {
    private static final String HASH = "a".repeat(64);
    private static final String OTHER_HASH = "b".repeat(64);

    @Nested
    class Demote {
        @Test
        void anAdminDemotesAnotherAdmin() {
            fixture.given(group(A, B), new AdminGranted(GROUP, 1, B, A, T0)).andGivenCurrentTime(T0)
                    .when(new RevokeAdmin(GROUP, A, B))
                    .expectEvents(new AdminRevoked(GROUP, 2, B, A, T0));
        }

        @Test
        void theLastAdminCannotBeDemoted() {
            expectRejected(fixture.given(group(A, B)).when(new RevokeAdmin(GROUP, A, A)), Rejection.LAST_ADMIN);
        }

        @Test
        void anAdminMayStepDownWhenAnotherRemains() {
            fixture.given(group(A, B), new AdminGranted(GROUP, 1, B, A, T0)).andGivenCurrentTime(T0)
                    .when(new RevokeAdmin(GROUP, A, A))
                    .expectEvents(new AdminRevoked(GROUP, 2, A, A, T0));
        }

        @Test
        void onlyAdminsDemoteAndAPlainMemberIsLeftAsItIs() {
            expectRejected(fixture.given(group(A, B, C), new AdminGranted(GROUP, 1, C, A, T0))
                    .when(new RevokeAdmin(GROUP, B, C)), Rejection.NOT_AN_ADMIN);
            fixture.given(group(A, B)).when(new RevokeAdmin(GROUP, A, B)).expectNoEvents();
            expectRejected(fixture.given(group(A, B)).when(new RevokeAdmin(GROUP, A, OUTSIDER)),
                    Rejection.NOT_A_MEMBER);
        }

        @Test
        void aDemotedAdminLosesTheRight() {
            expectRejected(fixture.given(group(A, B), new AdminGranted(GROUP, 1, B, A, T0),
                            new AdminRevoked(GROUP, 2, B, A, T0))
                    .when(new RenameGroup(GROUP, B, "mine")), Rejection.NOT_AN_ADMIN);
        }
    }

    @Nested
    class DescriptionAndAvatar {
        private final MediaRef picture = new MediaRef("md-1", MediaKind.IMAGE, "image/png", 10, 2, 3, "a.png", true);

        @Test
        void anAdminSetsAndClearsTheDescription() {
            fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new ChangeGroupDescription(GROUP, A, "  our team  "))
                    .expectEvents(new GroupDescriptionChanged(GROUP, 1, "our team", A, T0));
            fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new ChangeGroupDescription(GROUP, A, " "))
                    .expectEvents(new GroupDescriptionChanged(GROUP, 1, null, A, T0));
        }

        @Test
        void descriptionsAreAdminsOnlyGroupsOnlyAndBounded() {
            expectRejected(fixture.given(group(A, B)).when(new ChangeGroupDescription(GROUP, B, "x")),
                    Rejection.NOT_AN_ADMIN);
            expectRejected(newFixture().given(direct()).when(new ChangeGroupDescription(DIRECT, A, "x")),
                    Rejection.NOT_A_GROUP);
            expectRejected(fixture.given(group(A, B))
                    .when(new ChangeGroupDescription(GROUP, A, "x".repeat(InputLimits.DESCRIPTION_MAX + 1))),
                    Rejection.INVALID_TEXT);
            expectRejected(fixture.given(group(A, B)).when(new ChangeGroupDescription(GROUP, A, "a\u0000b")),
                    Rejection.INVALID_TEXT);
        }

        @Test
        void theAvatarIsAnImageTheAdminUploaded() {
            mediaOwnership = (requested, account) -> A.equals(account) && "md-1".equals(requested.mediaId())
                    ? Optional.of(picture)
                    : A.equals(account) && "md-doc".equals(requested.mediaId())
                    ? Optional.of(new MediaRef("md-doc", MediaKind.DOCUMENT, "application/pdf", 10, null, null,
                    "a.pdf", false)) : Optional.empty();
            fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new ChangeGroupAvatar(GROUP, A, "md-1"))
                    .expectEvents(new GroupAvatarChanged(GROUP, 1, picture, A, T0));
            expectRejected(fixture.given(group(A, B)).when(new ChangeGroupAvatar(GROUP, A, "md-doc")),
                    Rejection.INVALID_AVATAR);
            expectRejected(fixture.given(group(A, B)).when(new ChangeGroupAvatar(GROUP, A, "md-someone-elses")),
                    Rejection.MEDIA_NOT_OWNED);
            expectRejected(fixture.given(group(A, B)).when(new ChangeGroupAvatar(GROUP, B, "md-1")),
                    Rejection.NOT_AN_ADMIN);
        }
    }

    @Nested
    class Announcement {
        @Test
        void anAdminTurnsItOnOnceAndOff() {
            fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new SetAnnouncementMode(GROUP, A, true))
                    .expectEvents(new AnnouncementModeChanged(GROUP, 1, true, A, T0));
            fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0))
                    .when(new SetAnnouncementMode(GROUP, A, true)).expectNoEvents();
            fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0)).andGivenCurrentTime(T0)
                    .when(new SetAnnouncementMode(GROUP, A, false))
                    .expectEvents(new AnnouncementModeChanged(GROUP, 2, false, A, T0));
            expectRejected(fixture.given(group(A, B)).when(new SetAnnouncementMode(GROUP, B, true)),
                    Rejection.NOT_AN_ADMIN);
        }

        @Test
        void thenOnlyAdminsSendOrForward() {
            expectRejected(fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0))
                    .when(new SendMessage(GROUP, B, "cm-1", "hi", null, null)), Rejection.NOT_AN_ADMIN);
            expectRejected(fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0))
                    .when(new ForwardMessage(GROUP, B, "fw-1", new ForwardedFrom("x", 1), "hi",
                            null)), Rejection.NOT_AN_ADMIN);
            fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0)).andGivenCurrentTime(T0)
                    .when(new SendMessage(GROUP, A, "cm-1", "news", null, null))
                    .expectEvents(new MessageSent(GROUP, 2, Conversation.messageId(GROUP, 2), "cm-1", A,
                            MessageType.TEXT, "news", null, null, T0));
            fixture.given(group(A, B), new AnnouncementModeChanged(GROUP, 1, true, A, T0),
                            new AnnouncementModeChanged(GROUP, 2, false, A, T0)).andGivenCurrentTime(T0)
                    .when(new SendMessage(GROUP, B, "cm-1", "hi", null, null))
                    .expectEvents(new MessageSent(GROUP, 3, Conversation.messageId(GROUP, 3), "cm-1", B,
                            MessageType.TEXT, "hi", null, null, T0));
        }
    }

    @Nested
    class InviteLinks {
        @Test
        void anAdminCreatesAnInviteNamedByItsHash() {
            fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new CreateInvite(GROUP, A, HASH, 2, T0.plus(Duration.ofDays(1))))
                    .expectEvents(new InviteCreated(GROUP, HASH, A, 2, T0.plus(Duration.ofDays(1)), T0));
        }

        @Test
        void invitesAreAdminsOnlyWithSaneLimits() {
            expectRejected(fixture.given(group(A, B)).when(new CreateInvite(GROUP, B, HASH, null, null)),
                    Rejection.NOT_AN_ADMIN);
            expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new CreateInvite(GROUP, A, HASH, 0, null)), Rejection.INVALID_REQUEST);
            expectRejected(fixture.given(group(A, B)).andGivenCurrentTime(T0)
                    .when(new CreateInvite(GROUP, A, HASH, null, T0.minusSeconds(1))), Rejection.INVALID_REQUEST);
            expectRejected(fixture.given(group(A, B)).when(new CreateInvite(GROUP, A, "the-token-itself", null, null)),
                    Rejection.INVALID_REQUEST);
            expectRejected(newFixture().given(direct()).when(new CreateInvite(DIRECT, A, HASH, null, null)),
                    Rejection.NOT_A_GROUP);
        }

        @Test
        void aLinkLetsANewcomerInAsAddedByThemselves() {
            fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, null, T0)).andGivenCurrentTime(T0)
                    .when(new JoinByInvite(GROUP, C, HASH))
                    .expectEvents(new MemberAdded(GROUP, 1, C, C, T0), new InviteUsed(GROUP, HASH, C, T0))
                    .expectResultMessagePayload(new Joined(GROUP, true, 1L));
        }

        @Test
        void aMemberAlreadyIsAnsweredUnchangedAndUsesNothing() {
            fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, 1, null, T0))
                    .when(new JoinByInvite(GROUP, B, HASH)).expectNoEvents()
                    .expectResultMessagePayload(new Joined(GROUP, false, null));
        }

        @Test
        void aUsedUpLinkIsAConflict() {
            expectRejected(fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, 1, null, T0),
                            new MemberAdded(GROUP, 1, C, C, T0), new InviteUsed(GROUP, HASH, C, T0))
                    .andGivenCurrentTime(T0).when(new JoinByInvite(GROUP, D, HASH)), Rejection.INVITE_USED_UP);
        }

        @Test
        void anExpiredOrRevokedLinkIsGoneAndAnUnknownOneNotFound() {
            expectRejected(fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, T0.plusSeconds(60), T0))
                    .andGivenCurrentTime(T0.plusSeconds(60)).when(new JoinByInvite(GROUP, C, HASH)),
                    Rejection.INVITE_EXPIRED);
            expectRejected(fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, null, T0),
                            new InviteRevoked(GROUP, HASH, A, T0))
                    .andGivenCurrentTime(T0).when(new JoinByInvite(GROUP, C, HASH)), Rejection.INVITE_REVOKED);
            expectRejected(fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, null, T0))
                    .when(new JoinByInvite(GROUP, C, OTHER_HASH)), Rejection.INVITE_NOT_FOUND);
        }

        @Test
        void aFullGroupTakesNoOneThroughALink() {
            java.util.List<Object> given = new java.util.ArrayList<>();
            java.util.List<String> members = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                members.add(i == 0 ? A : "m-" + i);
            }
            given.add(new GroupCreated(GROUP, "Team", A, members, T0));
            given.add(new InviteCreated(GROUP, HASH, A, null, null, T0));
            expectRejected(fixture.given(given).andGivenCurrentTime(T0).when(new JoinByInvite(GROUP, C, HASH)),
                    Rejection.GROUP_FULL);
        }

        @Test
        void anAdminRevokesOnceAndUnknownLinksAreNotFound() {
            fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, null, T0)).andGivenCurrentTime(T0)
                    .when(new RevokeInvite(GROUP, A, HASH))
                    .expectEvents(new InviteRevoked(GROUP, HASH, A, T0));
            fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, null, T0),
                    new InviteRevoked(GROUP, HASH, A, T0)).when(new RevokeInvite(GROUP, A, HASH)).expectNoEvents();
            expectRejected(fixture.given(group(A, B)).when(new RevokeInvite(GROUP, A, HASH)),
                    Rejection.INVITE_NOT_FOUND);
            expectRejected(fixture.given(group(A, B), new InviteCreated(GROUP, HASH, A, null, null, T0))
                    .when(new RevokeInvite(GROUP, B, HASH)), Rejection.NOT_AN_ADMIN);
        }
    }
}
