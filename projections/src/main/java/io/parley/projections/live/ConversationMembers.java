package io.parley.projections.live;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.projections.conversation.ConversationSummary;
import io.parley.projections.conversation.ConversationViews;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who belongs to a conversation, in memory, for routing live frames and checking typing and presence
 * audiences without a read-model query per message (docs/design.md, section 5: the hot path reads no read model).
 * <p>
 * Fed by the membership events the live-delivery processor sees (creation puts the full list, adds and
 * removals edit it). A conversation not in memory (created before this node started, or evicted) is loaded
 * once through one {@code _id} read of its summary; that summary is trusted only when the conversation
 * views have reached the event being routed, otherwise the answer is used once and not cached, so a lagging
 * projection can never pin a stale member list.
 */
@Component
public class ConversationMembers {
    private final Cache<String, Set<String>> members;
    /** The highest timeline seq the live processor has routed per conversation: how fresh a summary must be. */
    private final Cache<String, Long> routedSeq;
    private final ConversationViews views;

    ConversationMembers(ConversationViews views, LiveDeliveryProperties properties) {
        this.views = views;
        this.members = Caffeine.newBuilder().maximumSize(properties.membershipCacheSize())
                .expireAfterAccess(Duration.ofHours(6)).build();
        this.routedSeq = Caffeine.newBuilder().maximumSize(properties.membershipCacheSize())
                .expireAfterAccess(Duration.ofHours(6)).build();
    }

    /** Members as of {@code seq} (the seq of the event being routed; 0 when it carries none). */
    public Set<String> of(String conversationId, long seq) {
        Set<String> known = members.getIfPresent(conversationId);
        if (known != null) {
            return known;
        }
        ConversationSummary summary = views.summary(conversationId).orElse(null);
        if (summary == null) {
            return Set.of();
        }
        Set<String> loaded = ConcurrentHashMap.newKeySet();
        loaded.addAll(summary.members().keySet());
        Long routed = routedSeq.getIfPresent(conversationId);
        long required = Math.max(seq - 1, routed == null ? 0 : routed);
        if (summary.lastSeq() >= required) {
            // compute-if-absent: a creation or membership event may have put a fresher list meanwhile
            return members.get(conversationId, id -> loaded);
        }
        return loaded;
    }

    /** Members now, for requests that carry no seq (typing, presence). */
    public Set<String> of(String conversationId) {
        return of(conversationId, 0);
    }

    public boolean isMember(String conversationId, String userId) {
        return of(conversationId).contains(userId);
    }

    /** The last timeline seq this node has seen stored for the conversation (0 when none since start-up). */
    public long routedSeq(String conversationId) {
        Long seq = routedSeq.getIfPresent(conversationId);
        return seq == null ? 0 : seq;
    }

    void routed(String conversationId, long seq) {
        routedSeq.asMap().merge(conversationId, seq, Math::max);
    }

    void created(String conversationId, Collection<String> memberIds) {
        Set<String> set = ConcurrentHashMap.newKeySet();
        set.addAll(memberIds);
        members.put(conversationId, set);
    }

    /** Only edits a list already in memory: a list loaded later comes from a summary that includes the change. */
    void added(String conversationId, String memberId) {
        Set<String> set = members.getIfPresent(conversationId);
        if (set != null) {
            set.add(memberId);
        }
    }

    void removed(String conversationId, String memberId) {
        Set<String> set = members.getIfPresent(conversationId);
        if (set != null) {
            set.remove(memberId);
        }
    }
}
