package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationQueries.MessagePreview;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One conversation's summary ({@code _id} = conversation id), stored by {@link ConversationSummaryCodec}.
 * {@code msgCount} counts messages so far (the ordinal of the last one); unread = {@code msgCount} minus a
 * member's {@code readOrd}, so a group message updates one summary, not every member's inbox.
 *
 * @param members     current members in join order; mutable while a projection batch holds the summary
 * @param former      who left or was removed, with the seq of their departure; mutable likewise
 * @param deletedOrds ordinals of messages deleted for everyone that some current member has not read yet,
 *                    ascending: unread counts leave them out (a deleted message is nothing to read); ordinals
 *                    every member has read are dropped, so the list stays as short as the slowest reader's backlog
 * @param info        a group's description, avatar and announcement mode
 */
public record ConversationSummary(String id, ConversationType type, String title, String createdBy,
                                  Instant createdAt, long lastSeq, long lastMsgSeq, long msgCount,
                                  MessagePreview lastMessage, Instant lastActivityAt, Map<String, Member> members,
                                  Map<String, Former> former, List<Long> deletedOrds, GroupInfo info) {

    public ConversationSummary {
        deletedOrds = deletedOrds == null ? List.of() : List.copyOf(deletedOrds);
        info = info == null ? GroupInfo.NONE : info;
    }

    /** {@code description} and {@code avatar} null when none; {@code announcement}: only admins send. */
    public record GroupInfo(String description, io.parley.api.media.MediaRef avatar, boolean announcement) {
        public static final GroupInfo NONE = new GroupInfo(null, null, false);
    }

    ConversationSummary withInfo(GroupInfo newInfo) {
        return new ConversationSummary(id, type, title, createdBy, createdAt, lastSeq, lastMsgSeq, msgCount,
                lastMessage, lastActivityAt, members, former, deletedOrds, newInfo);
    }

    /** A summary with no deleted messages unread. */
    public ConversationSummary(String id, ConversationType type, String title, String createdBy,
                               Instant createdAt, long lastSeq, long lastMsgSeq, long msgCount,
                               MessagePreview lastMessage, Instant lastActivityAt, Map<String, Member> members,
                               Map<String, Former> former) {
        this(id, type, title, createdBy, createdAt, lastSeq, lastMsgSeq, msgCount, lastMessage, lastActivityAt,
                members, former, List.of(), GroupInfo.NONE);
    }

    /** The summary once the timeline event at {@code seq} is applied. */
    ConversationSummary advancedTo(long seq, Instant at) {
        return new ConversationSummary(id, type, title, createdBy, createdAt, seq, lastMsgSeq, msgCount, lastMessage,
                at, members, former, deletedOrds, info);
    }

    ConversationSummary renamed(String newTitle) {
        return new ConversationSummary(id, type, newTitle, createdBy, createdAt, lastSeq, lastMsgSeq, msgCount,
                lastMessage, lastActivityAt, members, former, deletedOrds, info);
    }

    ConversationSummary withMessage(long seq, long ord, MessagePreview preview) {
        return new ConversationSummary(id, type, title, createdBy, createdAt, lastSeq, seq, ord, preview,
                lastActivityAt, members, former, deletedOrds, info);
    }

    ConversationSummary withLastMessage(MessagePreview preview) {
        return new ConversationSummary(id, type, title, createdBy, createdAt, lastSeq, lastMsgSeq, msgCount, preview,
                lastActivityAt, members, former, deletedOrds, info);
    }

    /**
     * The summary once the message of ordinal {@code ord} was deleted for everyone; ordinals every current member
     * has read are dropped on the way (they count for no one).
     */
    ConversationSummary withDeleted(long ord) {
        long readByAll = members.values().stream().mapToLong(Member::readOrd).min().orElse(msgCount);
        java.util.TreeSet<Long> ords = new java.util.TreeSet<>(deletedOrds);
        ords.add(ord);
        ords.removeIf(o -> o <= readByAll);
        return new ConversationSummary(id, type, title, createdBy, createdAt, lastSeq, lastMsgSeq, msgCount,
                lastMessage, lastActivityAt, members, former, new ArrayList<>(ords), info);
    }

    /**
     * Messages {@code userId} has not read, deleted ones left out; 0 for anyone who is no current member.
     */
    public long unread(String userId) {
        Member member = userId == null ? null : members.get(userId);
        if (member == null) {
            return 0;
        }
        long deletedUnread = deletedOrds.stream().filter(o -> o > member.readOrd()).count();
        return Math.max(0, msgCount - member.readOrd() - deletedUnread);
    }

    public boolean isMember(String userId) {
        return userId != null && members.containsKey(userId);
    }

    /**
     * The last seq {@code userId} may see: the last seq for members, the seq of their departure for former
     * members, -1 for accounts that never belonged (answered as if the conversation did not exist).
     */
    public long visibleUpTo(String userId) {
        if (userId == null) {
            return -1;
        }
        if (members.containsKey(userId)) {
            return lastSeq;
        }
        Former gone = former.get(userId);
        return gone == null ? -1 : gone.leftSeq();
    }

    /**
     * The first seq {@code userId} may see: the seq they (last) joined at, 0 for founding members, -1 for
     * accounts that never belonged. A late joiner sees nothing older than their joining, as in WhatsApp
     * (docs/design.md, section 4, "Late joiners and former members").
     */
    public long visibleFrom(String userId) {
        if (userId == null) {
            return -1;
        }
        Member member = members.get(userId);
        if (member != null) {
            return member.joinedSeq();
        }
        Former gone = former.get(userId);
        return gone == null ? -1 : gone.joinedSeq();
    }

    /**
     * A member's role and receipt watermarks: {@code delivered} / {@code read} up to which seq, when they last
     * moved, and their recent steps (per-message receipt times); {@code readOrd} = messages up to the read
     * watermark.
     */
    public record Member(MemberRole role, long joinedSeq, Instant joinedAt, long delivered, Instant deliveredAt,
                         long read, Instant readAt, long readOrd, List<Step> deliveredSteps,
                         List<Step> readSteps) {
        /** How many watermark steps a member keeps. */
        static final int STEPS = 8;

        static Member joined(MemberRole role, long joinedSeq, long watermark, long ord, Instant at) {
            return new Member(role, joinedSeq, at, watermark, null, watermark, null, ord, List.of(), List.of());
        }

        Member withRole(MemberRole newRole) {
            return new Member(newRole, joinedSeq, joinedAt, delivered, deliveredAt, read, readAt, readOrd,
                    deliveredSteps, readSteps);
        }

        Member withReadOrd(long ord) {
            return new Member(role, joinedSeq, joinedAt, delivered, deliveredAt, read, readAt, ord, deliveredSteps,
                    readSteps);
        }

        /** Raised delivered watermark, or this member when it would not move. */
        Member delivered(long upTo, Instant at) {
            return upTo <= delivered ? this : new Member(role, joinedSeq, joinedAt, upTo, at, read, readAt, readOrd,
                    step(deliveredSteps, upTo, at), readSteps);
        }

        /** Raised read watermark, or this member when it would not move. */
        Member read(long upTo, Instant at) {
            return upTo <= read ? this : new Member(role, joinedSeq, joinedAt, delivered, deliveredAt, upTo, at,
                    readOrd, deliveredSteps, step(readSteps, upTo, at));
        }

        private static List<Step> step(List<Step> steps, long upTo, Instant at) {
            List<Step> changed = new ArrayList<>(steps);
            changed.add(new Step(upTo, at));
            while (changed.size() > STEPS) {
                changed.remove(0);
            }
            return changed;
        }
    }

    /** A watermark step: the watermark reached {@code seq} at {@code at}. */
    public record Step(long seq, Instant at) {
    }

    /** A former member: departed at {@code leftSeq}, having joined (their latest interval) at {@code joinedSeq}. */
    public record Former(long leftSeq, Instant at, long joinedSeq) {
    }
}
