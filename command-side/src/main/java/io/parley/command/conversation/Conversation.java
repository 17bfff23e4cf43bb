package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.parley.api.conversation.ConversationCommands.AcknowledgeDelivery;
import io.parley.api.conversation.ConversationCommands.AddMember;
import io.parley.api.conversation.ConversationCommands.ConversationOpened;
import io.parley.api.conversation.ConversationCommands.CreateGroup;
import io.parley.api.conversation.ConversationCommands.DeleteMessage;
import io.parley.api.conversation.ConversationCommands.EditMessage;
import io.parley.api.conversation.ConversationCommands.GrantAdmin;
import io.parley.api.conversation.ConversationCommands.LeaveGroup;
import io.parley.api.conversation.ConversationCommands.MarkRead;
import io.parley.api.conversation.ConversationCommands.MuteConversation;
import io.parley.api.conversation.ConversationCommands.ReactToMessage;
import io.parley.api.conversation.ConversationCommands.RemoveMember;
import io.parley.api.conversation.ConversationCommands.RenameGroup;
import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.api.conversation.ConversationCommands.SendResult;
import io.parley.api.conversation.ConversationCommands.StartDirectConversation;
import io.parley.api.conversation.ConversationCommands.UnmuteConversation;
import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaRef;
import io.parley.api.common.CommandRejected;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A direct chat or a group: one aggregate type, one message path (DESIGN section 3). Command handlers
 * check every rule before anything is applied; event-sourcing handlers only change state. The state is
 * what the rules need and nothing else: members with role, join order and receipt watermarks, the
 * timeline's last seq, which seqs are messages (one bit each), author and time of recent messages (edit and
 * delete windows), the last {@value #DEDUP_CAPACITY} send results by client message id, and mute flags.
 * <p>
 * Fields are read by Jackson directly so snapshots need no getters that would widen the class's surface.
 */
@Aggregate(snapshotTriggerDefinition = "conversationSnapshotTrigger", cache = "conversationCache")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
class Conversation {
    static final int TEXT_MAX = 65_536;
    static final int TITLE_MAX = 256;
    static final int EMOJI_MAX = 32;
    static final int CLIENT_MESSAGE_ID_MAX = 128;
    /** Client message ids remembered for idempotent sends: far more than any client retries in flight. */
    static final int DEDUP_CAPACITY = 1_000;
    /** Authors and times kept for edit/delete windows; older messages can no longer be edited or deleted. */
    static final int RECENT_MESSAGES_MAX = 5_000;

    @AggregateIdentifier
    private String id;
    private ConversationType type;
    private String title;
    private long lastSeq;
    private long lastMessageSeq;
    private long joinCounter;
    /** In join order: the first entry is the oldest member, promoted when the last admin leaves. */
    private LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private SeqSet messageSeqs = new SeqSet();
    private SeqSet deletedSeqs = new SeqSet();
    private LinkedHashMap<Long, RecentMessage> recentMessages = new LinkedHashMap<>();
    /** Keyed by sender and client message id: one client cannot shadow another's ids. */
    private LinkedHashMap<String, SendResult> sendResults = new LinkedHashMap<>();
    private HashSet<String> muted = new HashSet<>();

    Conversation() {
        // for Axon (event sourcing, CREATE_IF_MISSING) and Jackson (snapshots)
    }

    record Member(MemberRole role, long joinOrder, long delivered, long read) {
        Member withRole(MemberRole newRole) {
            return new Member(newRole, joinOrder, delivered, read);
        }

        Member withWatermarks(long newDelivered, long newRead) {
            return new Member(role, joinOrder, Math.max(delivered, newDelivered), Math.max(read, newRead));
        }
    }

    record RecentMessage(String senderId, Instant sentAt) {
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
        if (rules.blocks(peer, initiator)) {
            throw reject(Rejection.BLOCKED, "this account does not accept messages from you");
        }
        if (id != null) {
            return new ConversationOpened(id, false);
        }
        apply(new DirectConversationStarted(command.conversationId(), List.of(initiator, peer), initiator, now()));
        return new ConversationOpened(command.conversationId(), true);
    }

    @CommandHandler
    Conversation(CreateGroup command, ConversationRules rules) {
        require(command.conversationId() != null && command.creatorId() != null, Rejection.INVALID_REQUEST,
                "conversation id and creator are required");
        String title = validTitle(command.title());
        LinkedHashSet<String> initial = new LinkedHashSet<>();
        initial.add(command.creatorId());
        if (command.memberIds() != null) {
            command.memberIds().stream().filter(Objects::nonNull).forEach(initial::add);
        }
        if (initial.size() > rules.properties().maxGroupMembers()) {
            throw reject(Rejection.GROUP_FULL, "a group holds at most " + rules.properties().maxGroupMembers() + " members");
        }
        apply(new GroupCreated(command.conversationId(), title, command.creatorId(), List.copyOf(initial), now()));
    }

    // ---------------------------------------------------------------- membership (groups only)

    @CommandHandler
    void handle(RenameGroup command) {
        requireGroup();
        requireAdmin(command.requesterId());
        String newTitle = validTitle(command.title());
        if (newTitle.equals(title)) {
            return;
        }
        apply(new GroupRenamed(id, lastSeq + 1, newTitle, command.requesterId(), now()));
    }

    @CommandHandler
    void handle(AddMember command, ConversationRules rules) {
        requireGroup();
        requireAdmin(command.requesterId());
        require(command.memberId() != null, Rejection.INVALID_REQUEST, "memberId is required");
        if (members.containsKey(command.memberId())) {
            throw reject(Rejection.ALREADY_A_MEMBER, "already a member of this group");
        }
        int max = rules.properties().maxGroupMembers();
        if (members.size() >= max) {
            throw reject(Rejection.GROUP_FULL, "a group holds at most " + max + " members");
        }
        apply(new MemberAdded(id, lastSeq + 1, command.memberId(), command.requesterId(), now()));
    }

    @CommandHandler
    void handle(RemoveMember command) {
        requireGroup();
        if (Objects.equals(command.requesterId(), command.memberId())) {
            leave(command.memberId());
            return;
        }
        requireAdmin(command.requesterId());
        if (!members.containsKey(command.memberId())) {
            throw reject(Rejection.NOT_A_MEMBER, "that account is not a member of this group");
        }
        // the requester is an admin and stays, so the group keeps an admin without promotion
        apply(new MemberRemoved(id, lastSeq + 1, command.memberId(), command.requesterId(), now()));
    }

    @CommandHandler
    void handle(LeaveGroup command) {
        requireGroup();
        leave(command.memberId());
    }

    private void leave(String memberId) {
        Member leaving = requireMember(memberId);
        Instant now = now();
        apply(new MemberLeft(id, lastSeq + 1, memberId, now));
        boolean adminRemains = members.values().stream().anyMatch(m -> m.role() == MemberRole.ADMIN);
        if (leaving.role() == MemberRole.ADMIN && !adminRemains && !members.isEmpty()) {
            String oldest = members.keySet().iterator().next();
            apply(new AdminGranted(id, lastSeq + 1, oldest, null, now));
        }
    }

    @CommandHandler
    void handle(GrantAdmin command) {
        requireGroup();
        requireAdmin(command.requesterId());
        Member target = members.get(command.memberId());
        if (target == null) {
            throw reject(Rejection.NOT_A_MEMBER, "that account is not a member of this group");
        }
        if (target.role() == MemberRole.ADMIN) {
            return;
        }
        apply(new AdminGranted(id, lastSeq + 1, command.memberId(), command.requesterId(), now()));
    }

    // ---------------------------------------------------------------- messages

    @CommandHandler
    SendResult handle(SendMessage command, ConversationRules rules) {
        String clientMessageId = command.clientMessageId();
        require(clientMessageId != null && !clientMessageId.isBlank()
                        && clientMessageId.length() <= CLIENT_MESSAGE_ID_MAX, Rejection.INVALID_REQUEST,
                "clientMessageId is required (at most " + CLIENT_MESSAGE_ID_MAX + " characters)");
        // a retry is acknowledged with the first answer before any other check: the client must get
        // the same "sent" tick even if, say, it has been removed since
        SendResult first = sendResults.get(dedupKey(command.senderId(), clientMessageId));
        if (first != null) {
            return first;
        }
        requireMember(command.senderId());
        if (type == ConversationType.DIRECT) {
            String other = otherMember(command.senderId());
            if (other != null && rules.blocks(other, command.senderId())) {
                throw reject(Rejection.BLOCKED, "this account does not accept messages from you");
            }
        }
        String text = command.text() == null ? null : command.text().strip();
        MediaRef media = null;
        MessageType messageType = MessageType.TEXT;
        if (command.media() != null) {
            media = rules.ownedMedia(command.media(), command.senderId())
                    .orElseThrow(() -> reject(Rejection.MEDIA_NOT_OWNED, "media can only be sent by the account that uploaded it"));
            messageType = MessageType.valueOf(media.kind().name());
            if (text != null && text.isEmpty()) {
                text = null; // a caption is optional
            }
            if (text != null) {
                validText(text);
            }
        } else {
            validText(text);
        }
        if (command.replyTo() != null && !messageSeqs.contains(command.replyTo())) {
            throw reject(Rejection.MESSAGE_NOT_FOUND, "replyTo must be the seq of a message in this conversation");
        }
        long seq = lastSeq + 1;
        apply(new MessageSent(id, seq, messageId(id, seq), clientMessageId, command.senderId(), messageType, text,
                media, command.replyTo(), now()));
        return sendResults.get(dedupKey(command.senderId(), clientMessageId));
    }

    @CommandHandler
    void handle(EditMessage command, ConversationRules rules) {
        requireMember(command.editorId());
        RecentMessage message = ownMessage(command.seq(), command.editorId());
        Instant now = now();
        requireWithin(message, rules.properties().editWindow(), now, "edited");
        String text = command.text() == null ? null : command.text().strip();
        validText(text);
        apply(new MessageEdited(id, lastSeq + 1, command.seq(), command.editorId(), text, now));
    }

    @CommandHandler
    void handle(DeleteMessage command, ConversationRules rules) {
        requireMember(command.requesterId());
        if (deletedSeqs.contains(command.seq())) {
            return; // deleting twice is a no-op, not an error: the client's intent is already satisfied
        }
        RecentMessage message = ownMessage(command.seq(), command.requesterId());
        Instant now = now();
        requireWithin(message, rules.properties().deleteForEveryoneWindow(), now, "deleted for everyone");
        apply(new MessageDeleted(id, lastSeq + 1, command.seq(), command.requesterId(), now));
    }

    @CommandHandler
    void handle(ReactToMessage command) {
        requireMember(command.memberId());
        requireLiveMessage(command.seq());
        String emoji = command.emoji() == null || command.emoji().isBlank() ? null : command.emoji().strip();
        require(emoji == null || emoji.codePointCount(0, emoji.length()) <= EMOJI_MAX, Rejection.INVALID_REQUEST,
                "a reaction is at most " + EMOJI_MAX + " characters");
        apply(new ReactionChanged(id, lastSeq + 1, command.seq(), command.memberId(), emoji, now()));
    }

    // ---------------------------------------------------------------- receipts (watermarks, no seq)

    @CommandHandler
    void handle(AcknowledgeDelivery command) {
        Member member = requireMember(command.memberId());
        long upTo = watermark(command.upToSeq());
        if (upTo <= member.delivered()) {
            return;
        }
        apply(new MessagesDelivered(id, command.memberId(), upTo, now()));
    }

    @CommandHandler
    void handle(MarkRead command) {
        Member member = requireMember(command.memberId());
        long upTo = watermark(command.upToSeq());
        if (upTo <= member.read()) {
            return;
        }
        apply(new MessagesRead(id, command.memberId(), upTo, now()));
    }

    /**
     * Validates an ack's seq and lowers it to the last message at or before it, so a watermark never
     * passes the last message and always names a message (edits and reactions need no receipts).
     */
    private long watermark(long upToSeq) {
        require(upToSeq >= 0 && upToSeq <= lastSeq, Rejection.INVALID_REQUEST,
                "upToSeq must lie within 0.." + lastSeq);
        return messageSeqs.floor(upToSeq);
    }

    // ---------------------------------------------------------------- mute

    @CommandHandler
    void handle(MuteConversation command) {
        requireMember(command.memberId());
        Instant now = now();
        require(command.until() == null || command.until().isAfter(now), Rejection.INVALID_REQUEST,
                "until must lie in the future");
        apply(new ConversationMuted(id, command.memberId(), command.until(), now));
    }

    @CommandHandler
    void handle(UnmuteConversation command) {
        requireMember(command.memberId());
        if (!muted.contains(command.memberId())) {
            return;
        }
        apply(new ConversationUnmuted(id, command.memberId(), now()));
    }

    // ---------------------------------------------------------------- event sourcing (state only)

    @EventSourcingHandler
    void on(DirectConversationStarted event) {
        id = event.conversationId();
        type = ConversationType.DIRECT;
        event.memberIds().forEach(memberId -> join(memberId, MemberRole.MEMBER));
    }

    @EventSourcingHandler
    void on(GroupCreated event) {
        id = event.conversationId();
        type = ConversationType.GROUP;
        title = event.title();
        for (String memberId : event.memberIds()) {
            join(memberId, memberId.equals(event.creatorId()) ? MemberRole.ADMIN : MemberRole.MEMBER);
        }
    }

    @EventSourcingHandler
    void on(GroupRenamed event) {
        lastSeq = event.seq();
        title = event.title();
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        lastSeq = event.seq();
        join(event.memberId(), MemberRole.MEMBER);
    }

    /** A new member starts with everything before joining counted as received and read: nothing unread. */
    private void join(String memberId, MemberRole role) {
        members.put(memberId, new Member(role, joinCounter++, lastMessageSeq, lastMessageSeq));
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        lastSeq = event.seq();
        members.remove(event.memberId());
        muted.remove(event.memberId());
    }

    @EventSourcingHandler
    void on(MemberLeft event) {
        lastSeq = event.seq();
        members.remove(event.memberId());
        muted.remove(event.memberId());
    }

    @EventSourcingHandler
    void on(AdminGranted event) {
        lastSeq = event.seq();
        members.computeIfPresent(event.memberId(), (k, m) -> m.withRole(MemberRole.ADMIN));
    }

    @EventSourcingHandler
    void on(MessageSent event) {
        lastSeq = event.seq();
        lastMessageSeq = event.seq();
        messageSeqs.add(event.seq());
        recentMessages.put(event.seq(), new RecentMessage(event.senderId(), event.sentAt()));
        Instant horizon = event.sentAt().minus(ConversationProperties.MAX_WINDOW);
        Iterator<RecentMessage> oldest = recentMessages.values().iterator();
        while (oldest.hasNext()) {
            RecentMessage candidate = oldest.next();
            if (recentMessages.size() <= RECENT_MESSAGES_MAX && !candidate.sentAt().isBefore(horizon)) {
                break;
            }
            oldest.remove();
        }
        sendResults.put(dedupKey(event.senderId(), event.clientMessageId()),
                new SendResult(id, event.clientMessageId(), event.seq(), event.messageId(), event.sentAt()));
        if (sendResults.size() > DEDUP_CAPACITY) {
            Iterator<String> eldest = sendResults.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        // sending counts as having read (and so received) everything up to one's own message
        members.computeIfPresent(event.senderId(), (k, m) -> m.withWatermarks(event.seq(), event.seq()));
    }

    @EventSourcingHandler
    void on(MessageEdited event) {
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessageDeleted event) {
        lastSeq = event.seq();
        deletedSeqs.add(event.messageSeq());
        recentMessages.remove(event.messageSeq());
    }

    @EventSourcingHandler
    void on(ReactionChanged event) {
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessagesDelivered event) {
        members.computeIfPresent(event.memberId(), (k, m) -> m.withWatermarks(event.upToSeq(), 0));
    }

    @EventSourcingHandler
    void on(MessagesRead event) {
        // reading implies receiving: the read watermark lifts the delivered one
        members.computeIfPresent(event.memberId(), (k, m) -> m.withWatermarks(event.upToSeq(), event.upToSeq()));
    }

    @EventSourcingHandler
    void on(ConversationMuted event) {
        muted.add(event.memberId());
    }

    @EventSourcingHandler
    void on(ConversationUnmuted event) {
        muted.remove(event.memberId());
    }

    // ---------------------------------------------------------------- helpers

    private Member requireMember(String accountId) {
        Member member = accountId == null ? null : members.get(accountId);
        if (member == null) {
            throw reject(Rejection.NOT_A_MEMBER, "conversation not found");
        }
        return member;
    }

    private void requireAdmin(String accountId) {
        if (requireMember(accountId).role() != MemberRole.ADMIN) {
            throw reject(Rejection.NOT_AN_ADMIN, "only a group admin may do this");
        }
    }

    private void requireGroup() {
        if (type != ConversationType.GROUP) {
            throw reject(Rejection.NOT_A_GROUP, "only groups have admins, titles and changing members");
        }
    }

    private void requireLiveMessage(long seq) {
        if (!messageSeqs.contains(seq) || deletedSeqs.contains(seq)) {
            throw reject(Rejection.MESSAGE_NOT_FOUND, "no message with seq " + seq);
        }
    }

    private RecentMessage ownMessage(long seq, String accountId) {
        requireLiveMessage(seq);
        RecentMessage message = recentMessages.get(seq);
        if (message == null) {
            throw reject(Rejection.WINDOW_EXPIRED, "the message is too old to change");
        }
        if (!message.senderId().equals(accountId)) {
            throw reject(Rejection.NOT_YOUR_MESSAGE, "only the author may change a message");
        }
        return message;
    }

    private static void requireWithin(RecentMessage message, Duration window, Instant now, String what) {
        if (message.sentAt().plus(window).isBefore(now)) {
            throw reject(Rejection.WINDOW_EXPIRED, "a message can only be " + what + " within " + window);
        }
    }

    private String otherMember(String accountId) {
        return members.keySet().stream().filter(m -> !m.equals(accountId)).findFirst().orElse(null);
    }

    private static String validTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        require(!stripped.isEmpty() && stripped.length() <= TITLE_MAX, Rejection.INVALID_REQUEST,
                "a group title is 1.." + TITLE_MAX + " characters");
        return stripped;
    }

    private static void validText(String text) {
        int length = text == null ? 0 : text.codePointCount(0, text.length());
        if (length < 1 || length > TEXT_MAX) {
            throw reject(Rejection.INVALID_TEXT, "message text is 1.." + TEXT_MAX + " characters after trimming");
        }
    }

    private static String dedupKey(String senderId, String clientMessageId) {
        return senderId + '/' + clientMessageId;
    }

    /** Derived, not random: replaying or re-handling yields the same id, and tests can predict it. */
    static String messageId(String conversationId, long seq) {
        return UUID.nameUUIDFromBytes((conversationId + ":" + seq).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    private static void require(boolean condition, Rejection code, String detail) {
        if (!condition) {
            throw reject(code, detail);
        }
    }

    static CommandRejected reject(Rejection rejection, String detail) {
        return rejection.because(detail);
    }
}
