package io.parley.command.conversation;

import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationEvents.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.command.conversation.MessageLog.RecentMessage;
import io.parley.command.conversation.Roster.Member;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static io.parley.command.conversation.Rejection.require;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A direct chat or a group: one aggregate type, one message path (docs/design.md, section 3). This class
 * decides: its command handlers check every rule before anything is applied. {@link ConversationState}
 * holds the state and the event-sourcing handlers, which only change it; {@link InputLimits} and
 * {@link MessageContent} check what members type and send.
 * <p>
 * Snapshots are this object serialized by Jackson from its fields (all of them in {@link ConversationState}).
 * The revision names the snapshot's shape: Axon's revision snapshot filter ignores snapshots of another
 * revision and rebuilds from events instead, so bump it whenever a state field is added, renamed or moved.
 */
@Aggregate(snapshotTriggerDefinition = "conversationSnapshotTrigger", cache = "conversationCache")
@Revision("7")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
class Conversation extends ConversationState {

    Conversation() {
        // for Axon (event sourcing, CREATE_IF_MISSING) and Jackson (snapshots)
    }

    // ---------------------------------------------------------------- creation

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    ConversationOpened handle(StartDirectConversation command, ConversationRules rules) {
        String initiator = command.initiatorId();
        String peer = command.peerId();
        require(initiator != null && peer != null && !initiator.equals(peer), Rejection.INVALID_REQUEST,
                "a direct chat needs two different accounts");
        require(ConversationIds.direct(initiator, peer).equals(command.conversationId()), Rejection.INVALID_REQUEST,
                "a direct chat's id is derived from its two accounts");
        // a peer who blocked the initiator is not revealed: the chat opens, its sends are withheld from the peer
        if (id() != null) {
            return new ConversationOpened(id(), false);
        }
        rules.requireKnown(List.of(peer));
        apply(new DirectConversationStarted(command.conversationId(), List.of(initiator, peer), initiator, now()));
        return new ConversationOpened(command.conversationId(), true);
    }

    @CommandHandler
    Conversation(CreateGroup command, ConversationRules rules) {
        require(command.conversationId() != null && command.creatorId() != null, Rejection.INVALID_REQUEST,
                "conversation id and creator are required");
        String title = InputLimits.title(command.title());
        LinkedHashSet<String> initial = new LinkedHashSet<>();
        initial.add(command.creatorId());
        if (command.memberIds() != null) {
            command.memberIds().stream().filter(Objects::nonNull).forEach(initial::add);
        }
        int max = rules.properties().maxGroupMembers();
        if (initial.size() > max) {
            throw Rejection.GROUP_FULL.because("a group holds at most " + max + " members");
        }
        // the creator is the caller's own (signed-in) account: only the others need asking about
        rules.requireKnown(initial.stream().filter(m -> !m.equals(command.creatorId())).toList());
        // whoever blocked the creator is left out, and the creator is not told why (README, Blocking)
        initial.removeIf(m -> !m.equals(command.creatorId()) && rules.blocks(m, command.creatorId()));
        apply(new GroupCreated(command.conversationId(), title, command.creatorId(), List.copyOf(initial), now()));
    }

    // ---------------------------------------------------------------- membership (groups only)

    @CommandHandler
    void handle(RenameGroup command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        String newTitle = InputLimits.title(command.title());
        if (newTitle.equals(title())) {
            return;
        }
        apply(new GroupRenamed(id(), log().nextSeq(), newTitle, command.requesterId(), now()));
    }

    @CommandHandler
    void handle(AddMember command, ConversationRules rules) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        require(command.memberId() != null, Rejection.INVALID_REQUEST, "memberId is required");
        roster().requireRoomFor(command.memberId(), rules.properties().maxGroupMembers());
        rules.requireKnown(List.of(command.memberId()));
        if (rules.blocks(command.memberId(), command.requesterId())) {
            // left out, acknowledged as an add is: the blocked requester is not told (README, Blocking)
            return;
        }
        apply(new MemberAdded(id(), log().nextSeq(), command.memberId(), command.requesterId(), now()));
    }

    @CommandHandler
    void handle(RemoveMember command) {
        requireGroup();
        if (Objects.equals(command.requesterId(), command.memberId())) {
            leave(command.memberId());
            return;
        }
        roster().requireAdmin(command.requesterId());
        roster().requireTarget(command.memberId());
        // the requester is an admin and stays, so the group keeps an admin without promotion
        apply(new MemberRemoved(id(), log().nextSeq(), command.memberId(), command.requesterId(), now()));
    }

    @CommandHandler
    void handle(LeaveGroup command) {
        requireGroup();
        leave(command.memberId());
    }

    private void leave(String memberId) {
        Member leaving = roster().requireMember(memberId);
        Instant now = now();
        apply(new MemberLeft(id(), log().nextSeq(), memberId, now));
        // applied already: the roster no longer holds the leaving member
        if (leaving.role() == MemberRole.ADMIN && !roster().hasAdmin() && !roster().isEmpty()) {
            apply(new AdminGranted(id(), log().nextSeq(), roster().oldest(), null, now));
        }
    }

    @CommandHandler
    void handle(GrantAdmin command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        if (roster().requireTarget(command.memberId()).role() == MemberRole.ADMIN) {
            return;
        }
        apply(new AdminGranted(id(), log().nextSeq(), command.memberId(), command.requesterId(), now()));
    }

    @CommandHandler
    void handle(RevokeAdmin command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        if (roster().requireTarget(command.memberId()).role() != MemberRole.ADMIN) {
            return;
        }
        if (roster().admins() <= 1) {
            throw Rejection.LAST_ADMIN.because("the group's last admin cannot be demoted: promote another first");
        }
        apply(new AdminRevoked(id(), log().nextSeq(), command.memberId(), command.requesterId(), now()));
    }

    // ---------------------------------------------------------------- group settings (admins only)

    @CommandHandler
    void handle(ChangeGroupDescription command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        String description = InputLimits.description(command.description());
        apply(new GroupDescriptionChanged(id(), log().nextSeq(), description, command.requesterId(), now()));
    }

    @CommandHandler
    void handle(ChangeGroupAvatar command, ConversationRules rules) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        require(command.mediaId() != null && !command.mediaId().isBlank(), Rejection.INVALID_REQUEST,
                "mediaId is required");
        MediaRef avatar = rules.ownedMedia(
                        new MediaRef(command.mediaId(), null, null, 0, null, null, null, false),
                        command.requesterId())
                .orElseThrow(() -> Rejection.MEDIA_NOT_OWNED.because("an avatar is an image you uploaded"));
        require(avatar.kind() == MediaKind.IMAGE, Rejection.INVALID_AVATAR,
                "an avatar is an image, not a " + avatar.kind());
        apply(new GroupAvatarChanged(id(), log().nextSeq(), avatar, command.requesterId(), now()));
    }

    @CommandHandler
    void handle(SetAnnouncementMode command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        if (command.enabled() == announcement()) {
            return;
        }
        apply(new AnnouncementModeChanged(id(), log().nextSeq(), command.enabled(), command.requesterId(), now()));
    }

    // ---------------------------------------------------------------- invite links

    @CommandHandler
    void handle(CreateInvite command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        require(command.inviteHash() != null && command.inviteHash().matches("[0-9a-f]{64}"),
                Rejection.INVALID_REQUEST, "an invite is named by the SHA-256 of its token");
        require(!invites().exists(command.inviteHash()), Rejection.INVALID_REQUEST, "this invite exists already");
        require(command.maxUses() == null || command.maxUses() >= 1, Rejection.INVALID_REQUEST,
                "maxUses is at least 1 (or absent: unlimited)");
        Instant now = now();
        require(command.expiresAt() == null || command.expiresAt().isAfter(now), Rejection.INVALID_REQUEST,
                "expiresAt must lie in the future");
        apply(new InviteCreated(id(), command.inviteHash(), command.requesterId(), command.maxUses(),
                command.expiresAt(), now));
    }

    @CommandHandler
    void handle(RevokeInvite command) {
        requireGroup();
        roster().requireAdmin(command.requesterId());
        if (invites().require(command.inviteHash()).revoked()) {
            return;
        }
        apply(new InviteRevoked(id(), command.inviteHash(), command.requesterId(), now()));
    }

    /**
     * Anyone holding a usable link joins (as a member added by themself); a member already is answered as joined
     * before and the link is not used up by it. A conversation that does not exist answers as an unknown invite.
     */
    @CommandHandler
    Joined handle(JoinByInvite command, ConversationRules rules) {
        if (type() != ConversationType.GROUP) {
            throw Rejection.INVITE_NOT_FOUND.because("no such invite");
        }
        Instant now = now();
        invites().require(command.inviteHash());
        if (roster().isMember(command.memberId())) {
            return new Joined(id(), false, null);
        }
        invites().requireUsable(command.inviteHash(), now);
        require(command.memberId() != null, Rejection.INVALID_REQUEST, "memberId is required");
        roster().requireRoomFor(command.memberId(), rules.properties().maxGroupMembers());
        long seq = log().nextSeq();
        apply(new MemberAdded(id(), seq, command.memberId(), command.memberId(), now));
        apply(new InviteUsed(id(), command.inviteHash(), command.memberId(), now));
        return new Joined(id(), true, seq);
    }

    // ---------------------------------------------------------------- messages

    @CommandHandler
    SendResult handle(SendMessage command, ConversationRules rules) {
        String clientMessageId = command.clientMessageId();
        InputLimits.requireClientMessageId(clientMessageId);
        // a retry is acknowledged with the first answer before any other check: the client must get
        // the same "sent" tick even if, say, it has been removed since
        SendResult first = sends().first(command.senderId(), clientMessageId);
        if (first != null) {
            return first;
        }
        roster().requireMember(command.senderId()).requireVisible(command.replyTo());
        requireMaySend(command.senderId());
        log().requireNotWithheldFrom(command.replyTo(), command.senderId());
        List<String> withheldFrom = List.of();
        if (type() == ConversationType.DIRECT) {
            String other = roster().otherMember(command.senderId());
            if (other != null && rules.blocks(command.senderId(), other)) {
                // as in WhatsApp: whoever blocked someone unblocks them before writing to them
                throw Rejection.BLOCKED.because("you blocked this account: unblock it to send");
            }
            if (other != null && rules.blocks(other, command.senderId())) {
                // acknowledged as usual and never shown to the one who blocked the sender (README, Blocking)
                withheldFrom = List.of(other);
            }
        }
        MessageContent content = MessageContent.of(command, rules);
        log().requireReplyTarget(command.replyTo());
        List<String> mentions = roster().mentions(command.mentions(), command.senderId(),
                type() == ConversationType.GROUP);
        long seq = log().nextSeq();
        apply(new MessageSent(id(), seq, messageId(id(), seq), clientMessageId, command.senderId(), content.type(),
                content.text(), content.media(), command.replyTo(), now(), mentions, withheldFrom));
        return sends().first(command.senderId(), clientMessageId);
    }

    /**
     * A forwarded copy is a message of its own here: the forwarder must be a member (and not blocked, in a direct
     * chat); it mentions no one and replies to nothing. That the forwarder may read the source was checked by
     * the gateway from the source conversation's view (see {@link ForwardMessage}).
     */
    @CommandHandler
    SendResult handle(ForwardMessage command, ConversationRules rules) {
        String clientMessageId = command.clientMessageId();
        InputLimits.requireClientMessageId(clientMessageId);
        SendResult first = sends().first(command.forwarderId(), clientMessageId);
        if (first != null) {
            return first;
        }
        roster().requireMember(command.forwarderId());
        requireMaySend(command.forwarderId());
        require(command.forwardedFrom() != null && command.forwardedFrom().conversationId() != null,
                Rejection.INVALID_REQUEST, "a forwarded copy names its source");
        List<String> withheldFrom = List.of();
        if (type() == ConversationType.DIRECT) {
            String other = roster().otherMember(command.forwarderId());
            if (other != null && rules.blocks(command.forwarderId(), other)) {
                throw Rejection.BLOCKED.because("you blocked this account: unblock it to send");
            }
            if (other != null && rules.blocks(other, command.forwarderId())) {
                // as a send: acknowledged, never shown to the one who blocked the forwarder (README, Blocking)
                withheldFrom = List.of(other);
            }
        }
        MessageContent content = MessageContent.forwarded(command, rules);
        long seq = log().nextSeq();
        apply(new MessageSent(id(), seq, messageId(id(), seq), clientMessageId, command.forwarderId(),
                content.type(), content.text(), content.media(), null, now(), List.of(), command.forwardedFrom(),
                withheldFrom));
        return sends().first(command.forwarderId(), clientMessageId);
    }

    /**
     * Edits, deletions and reactions over STOMP carry the frame's clientMessageId: a retry is answered with the
     * first result before any other check, as a send is (the window may have closed, the message been deleted since).
     */
    @CommandHandler
    MessageChanged handle(EditMessage command, ConversationRules rules) {
        MessageChanged first = firstChange(command.editorId(), command.clientMessageId());
        if (first != null) {
            return first;
        }
        roster().requireMember(command.editorId()).requireVisible(command.seq());
        log().requireNotWithheldFrom(command.seq(), command.editorId());
        RecentMessage message = log().ownMessage(command.seq(), command.editorId());
        Instant now = now();
        MessageLog.requireWithin(message, rules.properties().editWindow(), now, "edited");
        String text = InputLimits.stripped(command.text());
        InputLimits.requireText(text);
        if (log().isWithheld(command.seq())) {
            // a withheld message reached no one to tell; its sender is acknowledged (README, Blocking)
            return new MessageChanged(id(), command.seq(), null);
        }
        long seq = log().nextSeq();
        apply(new MessageEdited(id(), seq, command.seq(), command.editorId(), text, now, command.clientMessageId()));
        return new MessageChanged(id(), command.seq(), seq);
    }

    @CommandHandler
    MessageChanged handle(DeleteMessage command, ConversationRules rules) {
        MessageChanged first = firstChange(command.requesterId(), command.clientMessageId());
        if (first != null) {
            return first;
        }
        roster().requireMember(command.requesterId()).requireVisible(command.seq());
        log().requireNotWithheldFrom(command.seq(), command.requesterId());
        if (log().isDeleted(command.seq())) {
            // deleting twice is a no-op, not an error: the client's intent is already satisfied
            return new MessageChanged(id(), command.seq(), null);
        }
        if (type() == ConversationType.GROUP && roster().requireMember(command.requesterId()).role() == MemberRole.ADMIN
                && !log().isRecentFrom(command.seq(), command.requesterId())) {
            // a group admin moderates: any message they can see that is not their own recent one, whoever wrote it,
            // however old (README, Reports and moderation); their own recent messages keep the author's window
            log().requireLiveMessage(command.seq());
            long seq = log().nextSeq();
            apply(new MessageDeleted(id(), seq, command.seq(), command.requesterId(), now(),
                    command.clientMessageId()));
            return new MessageChanged(id(), command.seq(), seq);
        }
        RecentMessage message = log().ownMessage(command.seq(), command.requesterId());
        Instant now = now();
        MessageLog.requireWithin(message, rules.properties().deleteForEveryoneWindow(), now, "deleted for everyone");
        if (log().isWithheld(command.seq())) {
            return new MessageChanged(id(), command.seq(), null); // as an edit: nobody but its sender ever had it
        }
        long seq = log().nextSeq();
        apply(new MessageDeleted(id(), seq, command.seq(), command.requesterId(), now, command.clientMessageId()));
        return new MessageChanged(id(), command.seq(), seq);
    }

    @CommandHandler
    MessageChanged handle(ReactToMessage command) {
        MessageChanged first = firstChange(command.memberId(), command.clientMessageId());
        if (first != null) {
            return first;
        }
        roster().requireMember(command.memberId()).requireVisible(command.seq());
        log().requireNotWithheldFrom(command.seq(), command.memberId());
        log().requireLiveMessage(command.seq());
        String emoji = InputLimits.emoji(command.emoji());
        if (log().isWithheld(command.seq())) {
            // only its sender sees it; a reaction would be a timeline entry shown to the blocker
            return new MessageChanged(id(), command.seq(), null);
        }
        long seq = log().nextSeq();
        apply(new ReactionChanged(id(), seq, command.seq(), command.memberId(), emoji, now(),
                command.clientMessageId()));
        return new MessageChanged(id(), command.seq(), seq);
    }

    /** The first result of a change with this clientMessageId (null from REST, which sends none). */
    private MessageChanged firstChange(String memberId, String clientMessageId) {
        if (clientMessageId == null) {
            return null;
        }
        InputLimits.requireClientMessageId(clientMessageId);
        return changes().first(memberId, clientMessageId);
    }

    // ---------------------------------------------------------------- personal marks (no seq)

    @CommandHandler
    void handle(StarMessage command) {
        roster().requireMember(command.memberId()).requireVisible(command.seq());
        log().requireLiveMessage(command.seq());
        requireNotHidden(command.memberId(), command.seq());
        if (marks().isStarred(command.memberId(), command.seq())) {
            return;
        }
        apply(new MessageStarred(id(), command.memberId(), command.seq(), now()));
    }

    @CommandHandler
    void handle(UnstarMessage command) {
        roster().requireMember(command.memberId()).requireVisible(command.seq());
        log().requireMessage(command.seq());
        if (!marks().isStarred(command.memberId(), command.seq())) {
            return;
        }
        apply(new MessageUnstarred(id(), command.memberId(), command.seq(), now()));
    }

    /** A tombstone (deleted for everyone) may be deleted for oneself too, as WhatsApp allows. */
    @CommandHandler
    void handle(DeleteMessageForMe command) {
        roster().requireMember(command.memberId()).requireVisible(command.seq());
        log().requireMessage(command.seq());
        if (marks().isHidden(command.memberId(), command.seq())) {
            return; // deleted for them already: nothing left to do
        }
        apply(new MessageDeletedForMe(id(), command.memberId(), command.seq(), now()));
    }

    private void requireNotHidden(String memberId, long seq) {
        if (marks().isHidden(memberId, seq)) {
            throw Rejection.MESSAGE_NOT_FOUND.because("no message with seq " + seq);
        }
    }

    // ---------------------------------------------------------------- moderation by platform ADMINs

    @CommandHandler
    void handle(ModerateMessage command) {
        requireGroup();
        require(command.moderatorId() != null, Rejection.INVALID_REQUEST, "moderatorId is required");
        if (log().isDeleted(command.seq())) {
            return;
        }
        log().requireLiveMessage(command.seq());
        apply(new MessageDeleted(id(), log().nextSeq(), command.seq(), command.moderatorId(), now()));
    }

    @CommandHandler
    void handle(ModerateMember command) {
        requireGroup();
        require(command.moderatorId() != null, Rejection.INVALID_REQUEST, "moderatorId is required");
        Member removed = roster().requireTarget(command.memberId());
        Instant now = now();
        apply(new MemberRemoved(id(), log().nextSeq(), command.memberId(), command.moderatorId(), now));
        // the moderator is no member: a group that lost its last admin gets one, as when the last admin leaves
        if (removed.role() == MemberRole.ADMIN && !roster().hasAdmin() && !roster().isEmpty()) {
            apply(new AdminGranted(id(), log().nextSeq(), roster().oldest(), null, now));
        }
    }

    // ---------------------------------------------------------------- receipts (watermarks, no seq)

    @CommandHandler
    void handle(AcknowledgeDelivery command) {
        Member member = roster().requireMember(command.memberId());
        long upTo = log().watermark(command.upToSeq(), command.memberId());
        if (upTo <= member.delivered()) {
            return;
        }
        // a watermark after an unblock passes what was withheld meanwhile: the event names it (not received)
        apply(new MessagesDelivered(id(), command.memberId(), upTo, now(),
                log().withheldFrom(command.memberId(), member.delivered(), upTo)));
    }

    @CommandHandler
    void handle(MarkRead command) {
        Member member = roster().requireMember(command.memberId());
        long upTo = log().watermark(command.upToSeq(), command.memberId());
        if (upTo <= member.read()) {
            return;
        }
        apply(new MessagesRead(id(), command.memberId(), upTo, now(),
                log().withheldFrom(command.memberId(), member.read(), upTo)));
    }

    // ---------------------------------------------------------------- mute

    @CommandHandler
    void handle(MuteConversation command) {
        roster().requireMember(command.memberId());
        Instant now = now();
        require(command.until() == null || command.until().isAfter(now), Rejection.INVALID_REQUEST,
                "until must lie in the future");
        apply(new ConversationMuted(id(), command.memberId(), command.until(), now));
    }

    @CommandHandler
    void handle(UnmuteConversation command) {
        roster().requireMember(command.memberId());
        if (!roster().isMuted(command.memberId())) {
            return;
        }
        apply(new ConversationUnmuted(id(), command.memberId(), now()));
    }

    // ---------------------------------------------------------------- helpers

    /** In an announcement group only admins send (a member gets {@code not-an-admin}). */
    private void requireMaySend(String senderId) {
        if (announcement() && roster().requireMember(senderId).role() != MemberRole.ADMIN) {
            throw Rejection.NOT_AN_ADMIN.because("only admins send in an announcement group");
        }
    }

    private void requireGroup() {
        if (type() != ConversationType.GROUP) {
            throw Rejection.NOT_A_GROUP.because("only groups have admins, titles and changing members");
        }
    }

    /** Derived, not random: replaying or re-handling yields the same id, and tests can predict it. */
    static String messageId(String conversationId, long seq) {
        return UUID.nameUUIDFromBytes((conversationId + ":" + seq).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }
}
