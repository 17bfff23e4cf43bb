package io.parley.query.audit;

import io.parley.api.conversation.ConversationEvents.AdminRevoked;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.api.conversation.ConversationEvents.AdminGranted;
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
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.MessageType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A conversation rebuilt from its own events (receipt watermarks included: they are events of the same aggregate)
 * up to an instant, for {@code GET /api/audit/conversations/{id}/state}: members and roles, title, and every
 * message as it stood then. A message edited later shows the text it had; one deleted later still shows its text
 * with {@code deleted: false}; one deleted by then shows {@code deleted: true} and no text, as members saw it.
 * Delivery and read state follow the watermarks (docs/design.md, section 3: receipts are watermarks): a member
 * whose watermark had reached a message's seq by then, the sender excepted, and so were the members the message
 * was withheld from (they blocked its sender): a watermark of theirs set after an unblock covers it by seq, but
 * they never received it (README, Blocking).
 * <p>
 * Events are applied in aggregate order; reactions, mutes and other events outside this shape are passed over.
 */
public final class ConversationAsOf {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record State(String id, ConversationType type, String title, List<Member> members,
                        List<Message> messages, Instant asOf) {
    }

    public record Member(String userId, MemberRole role) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Message(long seq, String messageId, String senderId, MessageType type, String text, boolean deleted,
                          Instant editedAt, Instant sentAt, List<String> deliveredTo, List<String> readBy) {
    }

    private static final class Draft {
        final long seq;
        final String messageId;
        final String senderId;
        final MessageType type;
        final Instant sentAt;
        final List<String> withheldFrom;
        String text;
        boolean deleted;
        Instant editedAt;

        Draft(MessageSent e) {
            this.seq = e.seq();
            this.messageId = e.messageId();
            this.senderId = e.senderId();
            this.type = e.type();
            this.sentAt = e.sentAt();
            this.text = e.text();
            this.withheldFrom = e.withheldFrom();
        }
    }

    private final String id;
    private ConversationType type;
    private String title;
    private final Map<String, MemberRole> members = new LinkedHashMap<>();
    private final TreeMap<Long, Draft> messages = new TreeMap<>();
    private final Map<String, Long> delivered = new LinkedHashMap<>();
    private final Map<String, Long> read = new LinkedHashMap<>();

    public ConversationAsOf(String id) {
        this.id = id;
    }

    /** True once the conversation's creation was applied. */
    public boolean exists() {
        return type != null;
    }

    public void apply(Object event) {
        if (event instanceof DirectConversationStarted e) {
            type = ConversationType.DIRECT;
            e.memberIds().forEach(m -> members.put(m, MemberRole.MEMBER));
        } else if (event instanceof GroupCreated e) {
            type = ConversationType.GROUP;
            title = e.title();
            e.memberIds().forEach(m -> members.put(m, m.equals(e.creatorId()) ? MemberRole.ADMIN : MemberRole.MEMBER));
        } else if (event instanceof GroupRenamed e) {
            title = e.title();
        } else if (event instanceof MemberAdded e) {
            members.put(e.memberId(), MemberRole.MEMBER);
        } else if (event instanceof MemberRemoved e) {
            members.remove(e.memberId());
        } else if (event instanceof MemberLeft e) {
            members.remove(e.memberId());
        } else if (event instanceof AdminGranted e) {
            members.computeIfPresent(e.memberId(), (m, role) -> MemberRole.ADMIN);
        } else if (event instanceof AdminRevoked e) {
            members.computeIfPresent(e.memberId(), (m, role) -> MemberRole.MEMBER);
        } else if (event instanceof MessageSent e) {
            messages.put(e.seq(), new Draft(e));
        } else if (event instanceof MessageEdited e) {
            Draft d = messages.get(e.messageSeq());
            if (d != null && !d.deleted) {
                d.text = e.text();
                d.editedAt = e.editedAt();
            }
        } else if (event instanceof MessageDeleted e) {
            Draft d = messages.get(e.messageSeq());
            if (d != null) {
                d.deleted = true;
                d.text = null;
            }
        } else if (event instanceof MessagesDelivered e) {
            delivered.merge(e.memberId(), e.upToSeq(), Math::max);
        } else if (event instanceof MessagesRead e) {
            read.merge(e.memberId(), e.upToSeq(), Math::max);
            // reading implies having received
            delivered.merge(e.memberId(), e.upToSeq(), Math::max);
        }
    }

    public State state(Instant asOf) {
        List<Member> memberList = new ArrayList<>();
        members.forEach((userId, role) -> memberList.add(new Member(userId, role)));
        List<Message> messageList = new ArrayList<>(messages.size());
        for (Draft d : messages.values()) {
            messageList.add(new Message(d.seq, d.messageId, d.senderId, d.type, d.text, d.deleted, d.editedAt,
                    d.sentAt, reached(delivered, d), reached(read, d)));
        }
        return new State(id, type, title, memberList, messageList, asOf);
    }

    private static List<String> reached(Map<String, Long> watermarks, Draft message) {
        List<String> users = new ArrayList<>();
        watermarks.forEach((userId, upTo) -> {
            if (upTo >= message.seq && !userId.equals(message.senderId) && !message.withheldFrom.contains(userId)) {
                users.add(userId);
            }
        });
        return users;
    }
}
