package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.Mentions;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Who belongs to a conversation: members with role, join order and receipt watermarks, and who muted it.
 * Part of the Conversation aggregate's state (snapshotted with it by Jackson, from fields); it changes only
 * from the aggregate's event-sourcing handlers and answers the membership rules its command handlers ask.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
final class Roster {
    private long joinCounter;
    /** In join order: the first entry is the oldest member, promoted when the last admin leaves. */
    private LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private HashSet<String> muted = new HashSet<>();

    /**
     * {@code joinedAfter}: the last message seq when the member (last) joined. What came before is not theirs
     * to see (docs/design.md, membership intervals), so not theirs to react to, edit, delete or reply to either.
     * A snapshot from before this field reads 0: everything visible, the former behaviour.
     */
    record Member(MemberRole role, long joinOrder, long delivered, long read, long joinedAfter) {
        Member withRole(MemberRole newRole) {
            return new Member(newRole, joinOrder, delivered, read, joinedAfter);
        }

        Member withWatermarks(long newDelivered, long newRead) {
            return new Member(role, joinOrder, Math.max(delivered, newDelivered), Math.max(read, newRead), joinedAfter);
        }

        /** A message from before this member joined answers as a message that does not exist. */
        void requireVisible(Long seq) {
            if (seq != null && seq <= joinedAfter) {
                throw Rejection.MESSAGE_NOT_FOUND.because("no message with seq " + seq);
            }
        }
    }

    // ---------------------------------------------------------------- rules

    Member requireMember(String accountId) {
        Member member = accountId == null ? null : members.get(accountId);
        if (member == null) {
            throw Rejection.NOT_A_MEMBER.because("conversation not found");
        }
        return member;
    }

    void requireAdmin(String accountId) {
        if (requireMember(accountId).role() != MemberRole.ADMIN) {
            throw Rejection.NOT_AN_ADMIN.because("only a group admin may do this");
        }
    }

    /**
     * The member a group command acts on. The requester is known to be a member, so the refusal may
     * say plainly that the target is not one.
     */
    Member requireTarget(String memberId) {
        Member member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            throw Rejection.NOT_A_MEMBER.because("that account is not a member of this group");
        }
        return member;
    }

    void requireRoomFor(String memberId, int maxMembers) {
        if (members.containsKey(memberId)) {
            throw Rejection.ALREADY_A_MEMBER.because("already a member of this group");
        }
        if (members.size() >= maxMembers) {
            throw Rejection.GROUP_FULL.because("a group holds at most " + maxMembers + " members");
        }
    }

    /**
     * The member ids a send mentions, in the client's order without duplicates: each a current member, at most
     * {@link Mentions#MAX} entries; in a group {@link Mentions#ALL} adds every current member but the sender.
     */
    List<String> mentions(List<String> requested, String senderId, boolean group) {
        if (requested == null || requested.isEmpty()) {
            return List.of();
        }
        if (requested.size() > Mentions.MAX) {
            throw Rejection.INVALID_MENTIONS.because("a message mentions at most " + Mentions.MAX + " members");
        }
        LinkedHashSet<String> resolved = new LinkedHashSet<>();
        for (String mention : requested) {
            if (Mentions.ALL.equals(mention)) {
                if (!group) {
                    throw Rejection.INVALID_MENTIONS.because(Mentions.ALL + " mentions a group's members; "
                            + "this is a direct chat");
                }
                members.keySet().stream().filter(m -> !m.equals(senderId)).forEach(resolved::add);
            } else if (mention == null || !members.containsKey(mention)) {
                throw Rejection.MENTION_NOT_A_MEMBER.because("mentions may only name current members: "
                        + mention + " is not one");
            } else {
                resolved.add(mention);
            }
        }
        return List.copyOf(resolved);
    }

    long admins() {
        return members.values().stream().filter(m -> m.role() == MemberRole.ADMIN).count();
    }

    boolean isMember(String accountId) {
        return accountId != null && members.containsKey(accountId);
    }

    boolean hasAdmin() {
        return members.values().stream().anyMatch(m -> m.role() == MemberRole.ADMIN);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** The member who joined first and is still here. */
    String oldest() {
        return members.keySet().iterator().next();
    }

    /** In a direct chat: the peer of the given account. */
    String otherMember(String accountId) {
        return members.keySet().stream().filter(m -> !m.equals(accountId)).findFirst().orElse(null);
    }

    boolean isMuted(String memberId) {
        return muted.contains(memberId);
    }

    // ---------------------------------------------------------------- state changes (event sourcing only)

    /** A new member starts with everything before joining counted as received and read: nothing unread. */
    void join(String memberId, MemberRole role, long lastMessageSeq) {
        members.put(memberId, new Member(role, joinCounter++, lastMessageSeq, lastMessageSeq, lastMessageSeq));
    }

    void remove(String memberId) {
        members.remove(memberId);
        muted.remove(memberId);
    }

    void promote(String memberId) {
        members.computeIfPresent(memberId, (k, m) -> m.withRole(MemberRole.ADMIN));
    }

    void demote(String memberId) {
        members.computeIfPresent(memberId, (k, m) -> m.withRole(MemberRole.MEMBER));
    }

    void raiseWatermarks(String memberId, long delivered, long read) {
        members.computeIfPresent(memberId, (k, m) -> m.withWatermarks(delivered, read));
    }

    void mute(String memberId) {
        muted.add(memberId);
    }

    void unmute(String memberId) {
        muted.remove(memberId);
    }
}
