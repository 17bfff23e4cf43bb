package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.AdminRevoked;
import io.parley.api.conversation.ConversationEvents.AnnouncementModeChanged;
import io.parley.api.conversation.ConversationEvents.GroupAvatarChanged;
import io.parley.api.conversation.ConversationEvents.GroupDescriptionChanged;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.Timeline;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.projections.conversation.ConversationSummary.Former;
import io.parley.projections.conversation.ConversationSummary.GroupInfo;
import io.parley.projections.conversation.ConversationSummary.Member;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creation, membership changes and group settings, applied to a {@link ConversationViewBatch}. */
final class MembershipViews {
    private MembershipViews() {
    }

    static void on(ConversationViewBatch batch, DirectConversationStarted e) {
        create(batch, e.conversationId(), ConversationType.DIRECT, null, e.startedBy(), e.memberIds(), null,
                e.startedAt());
    }

    static void on(ConversationViewBatch batch, GroupCreated e) {
        create(batch, e.conversationId(), ConversationType.GROUP, e.title(), e.creatorId(), e.memberIds(),
                e.creatorId(), e.createdAt());
    }

    private static void create(ConversationViewBatch batch, String cid, ConversationType type, String title,
                               String by, List<String> memberIds, String adminId, Instant at) {
        if (batch.summary(cid) != null) {
            return;
        }
        Map<String, Member> members = new LinkedHashMap<>();
        for (String memberId : memberIds) {
            members.put(memberId, Member.joined(memberId.equals(adminId) ? MemberRole.ADMIN : MemberRole.MEMBER,
                    0, 0, 0, at));
            batch.user(memberId, UserConversationsCodec.joined(cid, 0, 0, false));
        }
        batch.put(new ConversationSummary(cid, type, title, by, at, 0, 0, 0, null, at, members, new LinkedHashMap<>()));
    }

    static void on(ConversationViewBatch batch, GroupRenamed e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.renamedAt());
        if (s == null) {
            return;
        }
        batch.put(s.renamed(e.title()));
        batch.append(Timeline.of(e), 0);
    }

    static void on(ConversationViewBatch batch, MemberAdded e) {
        String cid = e.conversationId();
        ConversationSummary s = batch.timeline(cid, e.seq(), e.addedAt());
        if (s == null) {
            return;
        }
        // a newcomer starts with nothing unread, as the aggregate does
        s.members().put(e.memberId(), Member.joined(MemberRole.MEMBER, e.seq(), s.lastMsgSeq(), s.msgCount(),
                e.addedAt()));
        s.former().remove(e.memberId());
        batch.append(Timeline.of(e), 0);
        batch.user(e.memberId(), UserConversationsCodec.joined(cid, e.seq(), s.lastMsgSeq(), true));
    }

    static void on(ConversationViewBatch batch, MemberRemoved e) {
        departed(batch, Timeline.of(e));
    }

    static void on(ConversationViewBatch batch, MemberLeft e) {
        departed(batch, Timeline.of(e));
    }

    private static void departed(ConversationViewBatch batch, Membership entry) {
        String cid = entry.conversationId();
        ConversationSummary s = batch.timeline(cid, entry.seq(), entry.at());
        if (s == null) {
            return;
        }
        Member member = s.members().remove(entry.memberId());
        s.former().put(entry.memberId(), new Former(entry.seq(), entry.at(), member == null ? 0 : member.joinedSeq()));
        batch.append(entry, 0);
        // the departed member's inbox keeps the conversation as it stood at their departure
        batch.user(entry.memberId(), UserConversationsCodec.departed(cid, entry.seq(), entry.at(), s.lastMessage(),
                s.lastActivityAt()));
    }

    static void on(ConversationViewBatch batch, AdminGranted e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.grantedAt());
        if (s == null) {
            return;
        }
        Member member = s.members().get(e.memberId());
        if (member != null) {
            batch.putMember(e.conversationId(), e.memberId(), member, member.withRole(MemberRole.ADMIN));
        }
        batch.append(Timeline.of(e), 0);
    }

    static void on(ConversationViewBatch batch, AdminRevoked e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.revokedAt());
        if (s == null) {
            return;
        }
        Member member = s.members().get(e.memberId());
        if (member != null) {
            batch.putMember(e.conversationId(), e.memberId(), member, member.withRole(MemberRole.MEMBER));
        }
        batch.append(Timeline.of(e), 0);
    }

    static void on(ConversationViewBatch batch, GroupDescriptionChanged e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.changedAt());
        if (s == null) {
            return;
        }
        batch.put(s.withInfo(new GroupInfo(e.description(), s.info().avatar(), s.info().announcement())));
        batch.append(Timeline.of(e), 0);
    }

    static void on(ConversationViewBatch batch, GroupAvatarChanged e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.changedAt());
        if (s == null) {
            return;
        }
        batch.put(s.withInfo(new GroupInfo(s.info().description(), e.avatar(), s.info().announcement())));
        batch.append(Timeline.of(e), 0);
    }

    static void on(ConversationViewBatch batch, AnnouncementModeChanged e) {
        ConversationSummary s = batch.timeline(e.conversationId(), e.seq(), e.changedAt());
        if (s == null) {
            return;
        }
        batch.put(s.withInfo(new GroupInfo(s.info().description(), s.info().avatar(), e.enabled())));
        batch.append(Timeline.of(e), 0);
    }
}
