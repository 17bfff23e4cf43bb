package io.parley.query.conversation;

import io.parley.api.conversation.ConversationQueries.ConversationDetails;
import io.parley.api.conversation.ConversationQueries.ConversationQuery;
import io.parley.api.conversation.ConversationQueries.ConversationViewReachedQuery;
import io.parley.api.conversation.ConversationQueries.Inbox;
import io.parley.api.conversation.ConversationQueries.InboxEntry;
import io.parley.api.conversation.ConversationQueries.InboxQuery;
import io.parley.api.conversation.ConversationQueries.MessagePage;
import io.parley.api.conversation.ConversationQueries.MessagesQuery;
import io.parley.api.conversation.ConversationQueries.StarredMessages;
import io.parley.api.conversation.ConversationQueries.StarredMessagesQuery;
import io.parley.api.conversation.ConversationQueries.SyncQuery;
import io.parley.api.conversation.ConversationQueries.SyncResult;
import io.parley.api.conversation.ConversationQueries.SyncedConversation;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.MessageReceiptsQuery;
import io.parley.projections.conversation.ConversationSummary;
import io.parley.projections.conversation.ConversationViews;
import io.parley.projections.conversation.HistoryBucket;
import io.parley.projections.conversation.UserConversations;
import io.parley.projections.receipt.MessageReceiptsView;
import io.parley.query.presence.BlockRelations;
import io.parley.api.conversation.ConversationType;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Answers the conversation queries from the views, reading only by {@code _id} and {@code $in} (docs/design.md,
 * section 4): the inbox is one user document plus one {@code $in} over summaries; a history page or a sync is
 * one summary read plus {@code $in} reads of seq buckets computed from the gap-free seqs.
 */
@Component
class ConversationQueryHandlers {
    private final ConversationViews views;
    private final BlockRelations blocks;

    ConversationQueryHandlers(ConversationViews views, BlockRelations blocks) {
        this.views = views;
        this.blocks = blocks;
    }

    /**
     * A direct chat someone the caller blocked opened, where nothing ever reached the caller: not shown to them at
     * all (inbox, details, history, sync), so opening a chat with a blocker leaves no trace (README, Blocking).
     * Withheld messages do not count (they move no {@code lastMsgSeq}); once unblocked, it shows as any chat.
     */
    private boolean hiddenFrom(ConversationSummary summary, String userId) {
        return summary.type() == ConversationType.DIRECT && summary.lastMsgSeq() == 0
                && summary.createdBy() != null && !summary.createdBy().equals(userId)
                && blocks.blocks(userId, summary.createdBy());
    }

    @QueryHandler
    Inbox handle(InboxQuery query) {
        Map<String, UserConversations.Entry> convs = views.user(query.userId())
                .map(UserConversations::conversations).orElse(Map.of());
        Map<String, ConversationSummary> summaries = views.summaries(convs.keySet());
        Instant now = Instant.now();
        List<InboxEntry> entries = new ArrayList<>();
        convs.forEach((cid, mine) -> {
            ConversationSummary summary = summaries.get(cid);
            InboxEntry entry = summary == null || hiddenFrom(summary, query.userId()) ? null
                    : ConversationDocuments.inboxEntry(summary, mine, query.userId(), now);
            if (entry != null) {
                entries.add(entry);
            }
        });
        entries.sort(Comparator.comparing(InboxEntry::lastActivityAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return new Inbox(entries);
    }

    @QueryHandler
    Optional<ConversationDetails> handle(ConversationQuery query) {
        return views.summary(query.conversationId()).filter(s -> s.visibleUpTo(query.userId()) >= 0)
                .filter(s -> !hiddenFrom(s, query.userId()))
                .map(s -> ConversationDocuments.details(s, query.userId()));
    }

    @QueryHandler
    Optional<MessagePage> handle(MessagesQuery query) {
        Optional<ConversationSummary> summary = views.summary(query.conversationId())
                .filter(s -> !hiddenFrom(s, query.userId()));
        long upTo = summary.map(s -> s.visibleUpTo(query.userId())).orElse(-1L);
        if (upTo < 0) {
            return Optional.empty();
        }
        // a late joiner's history starts at their joining (its ADDED notice included)
        long first = Math.max(1, summary.get().visibleFrom(query.userId()));
        int limit = query.limit() == null ? MessagesQuery.DEFAULT_LIMIT
                : Math.max(1, Math.min(query.limit(), MessagesQuery.MAX_LIMIT));
        // what the user deleted for themselves is gone from their history
        Set<Long> hidden = views.user(query.userId()).map(u -> u.conversations().get(query.conversationId()))
                .map(UserConversations.Entry::hidden).orElse(Set.of());
        Predicate<TimelineEntry> visible = e -> (e instanceof Message && !hidden.contains(e.seq()))
                || e instanceof Membership;
        List<TimelineEntry> found;
        if (query.after() != null) {
            found = scan(query.conversationId(), query.userId(), Math.max(first, query.after() + 1), upTo, upTo, true,
                    visible, limit + 1);
        } else {
            long from = query.before() == null ? upTo : Math.min(upTo, query.before() - 1);
            found = scan(query.conversationId(), query.userId(), first, from, upTo, false, visible, limit + 1);
        }
        boolean hasMore = found.size() > limit;
        List<TimelineEntry> page = found.stream().limit(limit).toList();
        return Optional.of(new MessagePage(page, hasMore));
    }

    /**
     * Entries with seq in [from, to] matching {@code filter}, ascending or descending, at most {@code max}, as
     * someone who sees up to {@code seenUpTo} sees them (a former member: frozen at their departure), without
     * the entries hidden from {@code viewer} (withheld because they blocked the sender).
     * Reads buckets in $in rounds sized for the request; skipped kinds (edits, reactions) may need more rounds.
     */
    private List<TimelineEntry> scan(String cid, String viewer, long from, long to, long seenUpTo, boolean ascending,
                                     Predicate<TimelineEntry> filter, int max) {
        List<TimelineEntry> result = new ArrayList<>();
        if (from > to) {
            return result;
        }
        long firstBucket = from / HistoryBucket.SIZE;
        long lastBucket = to / HistoryBucket.SIZE;
        int perRound = max / HistoryBucket.SIZE + 2;
        long next = ascending ? firstBucket : lastBucket;
        while (result.size() < max && (ascending ? next <= lastBucket : next >= firstBucket)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < perRound && (ascending ? next <= lastBucket : next >= firstBucket); i++) {
                ids.add(HistoryBucket.idOfIndex(cid, next));
                next += ascending ? 1 : -1;
            }
            Map<String, HistoryBucket> byId = views.buckets(ids);
            for (String id : ids) {
                HistoryBucket bucket = byId.get(id);
                if (bucket == null) {
                    continue;
                }
                List<TimelineEntry> entries = new ArrayList<>(bucket.entries().stream()
                        .filter(e -> !e.hiddenFrom(viewer)).map(e -> e.seenUpTo(seenUpTo)).toList());
                if (!ascending) {
                    entries.sort(Comparator.comparingLong(TimelineEntry::seq).reversed());
                }
                for (TimelineEntry e : entries) {
                    long seq = e.seq();
                    if (seq >= from && seq <= to && filter.test(e)) {
                        result.add(e);
                        if (result.size() >= max) {
                            return result;
                        }
                    }
                }
            }
        }
        return result;
    }

    @QueryHandler
    SyncResult handle(SyncQuery query) {
        Map<String, Long> since = query.since() == null ? Map.of() : query.since();
        int budget = query.limit() == null ? SyncQuery.DEFAULT_LIMIT
                : Math.max(1, Math.min(query.limit(), SyncQuery.MAX_LIMIT));
        Map<String, UserConversations.Entry> convs = views.user(query.userId())
                .map(UserConversations::conversations).orElse(Map.of());
        if (convs.isEmpty()) {
            return new SyncResult(List.of(), false);
        }
        Map<String, ConversationSummary> summaries = views.summaries(convs.keySet());
        // plan: the seq range each conversation gets within the budget (seqs are gap-free, so the
        // entry count of a range is its length and its buckets are known before reading any)
        record Plan(ConversationSummary summary, long from, long to, long upTo, boolean fresh) {
        }
        List<Plan> plans = new ArrayList<>();
        boolean anyCut = false;
        List<String> order = new ArrayList<>(convs.keySet());
        order.sort(Comparator.naturalOrder());
        for (String cid : order) {
            ConversationSummary summary = summaries.get(cid);
            long upTo = summary == null || hiddenFrom(summary, query.userId()) ? -1
                    : summary.visibleUpTo(query.userId());
            if (upTo < 0) {
                continue;
            }
            boolean fresh = !since.containsKey(cid);
            // a late joiner syncs from their joining on, whatever the client claims to hold
            long from = Math.max(Math.max(0, since.getOrDefault(cid, 0L)) + 1,
                    summary.visibleFrom(query.userId()));
            if (from > upTo && !fresh) {
                continue;
            }
            long take = Math.min(Math.max(0, upTo - from + 1), budget);
            budget -= (int) take;
            if (take < upTo - from + 1) {
                anyCut = true;
            }
            if (take == 0 && !fresh) {
                continue;
            }
            plans.add(new Plan(summary, from, from + take - 1, upTo, fresh));
        }
        Set<String> bucketIds = new LinkedHashSet<>();
        for (Plan plan : plans) {
            for (long b = plan.from() / HistoryBucket.SIZE;
                 plan.to() >= plan.from() && b <= plan.to() / HistoryBucket.SIZE; b++) {
                bucketIds.add(HistoryBucket.idOfIndex(plan.summary().id(), b));
            }
        }
        Map<String, HistoryBucket> buckets = views.buckets(new ArrayList<>(bucketIds));
        List<SyncedConversation> result = new ArrayList<>();
        for (Plan plan : plans) {
            String cid = plan.summary().id();
            List<TimelineEntry> entries = new ArrayList<>();
            long held = plan.from() - 1;
            for (long b = plan.from() / HistoryBucket.SIZE;
                 plan.to() >= plan.from() && b <= plan.to() / HistoryBucket.SIZE; b++) {
                HistoryBucket bucket = buckets.get(HistoryBucket.idOfIndex(cid, b));
                if (bucket == null) {
                    break;
                }
                for (HistoryBucket.Entry stored : bucket.entries()) {
                    TimelineEntry e = stored.seenUpTo(plan.upTo());
                    long seq = e.seq();
                    // stop at the first hole (a view still catching up): the client must never skip a seq
                    if (seq > held + 1 || seq > plan.to()) {
                        break;
                    }
                    if (seq == held + 1) {
                        // deleted for the user, or withheld from them because they blocked its sender: left out,
                        // its seq still counts as held (no hole to wait for)
                        if (!hiddenFor(e, convs.get(cid).hidden()) && !stored.hiddenFrom(query.userId())) {
                            entries.add(e);
                        }
                        held = seq;
                    }
                }
            }
            ConversationSummary summary = plan.summary();
            result.add(new SyncedConversation(cid, summary.type(), summary.title(),
                    ConversationDocuments.members(summary), entries, held, held < plan.upTo(),
                    !summary.isMember(query.userId())));
        }
        return new SyncResult(result, anyCut || result.stream().anyMatch(SyncedConversation::hasMore));
    }

    /** A message the user deleted for themselves, or an edit, deletion or reaction of one. */
    private static boolean hiddenFor(TimelineEntry e, Set<Long> hidden) {
        if (hidden.isEmpty()) {
            return false;
        }
        long target = -1;
        if (e instanceof Message m) {
            target = m.seq();
        } else if (e instanceof TimelineEntry.Edit edit) {
            target = edit.messageSeq();
        } else if (e instanceof TimelineEntry.Delete delete) {
            target = delete.messageSeq();
        } else if (e instanceof TimelineEntry.Reaction reaction) {
            target = reaction.messageSeq();
        }
        return hidden.contains(target);
    }

    /**
     * One user document, one {@code $in} over the summaries, one over the buckets holding the starred seqs; each
     * message as the user sees it (a former member: frozen at their departure), within their interval.
     */
    @QueryHandler
    StarredMessages handle(StarredMessagesQuery query) {
        Map<String, UserConversations.Entry> convs = views.user(query.userId())
                .map(UserConversations::conversations).orElse(Map.of());
        Map<String, UserConversations.Entry> withStars = new java.util.LinkedHashMap<>();
        convs.forEach((cid, mine) -> {
            if (!mine.starred().isEmpty()) {
                withStars.put(cid, mine);
            }
        });
        if (withStars.isEmpty()) {
            return new StarredMessages(List.of());
        }
        Map<String, ConversationSummary> summaries = views.summaries(withStars.keySet());
        Set<String> bucketIds = new LinkedHashSet<>();
        withStars.forEach((cid, mine) -> mine.starred().forEach(seq -> bucketIds.add(HistoryBucket.id(cid, seq))));
        Map<String, HistoryBucket> buckets = views.buckets(new ArrayList<>(bucketIds));
        List<Message> found = new ArrayList<>();
        withStars.forEach((cid, mine) -> {
            ConversationSummary summary = summaries.get(cid);
            long upTo = summary == null ? -1 : summary.visibleUpTo(query.userId());
            long from = summary == null ? -1 : Math.max(1, summary.visibleFrom(query.userId()));
            for (long seq : mine.starred()) {
                HistoryBucket bucket = buckets.get(HistoryBucket.id(cid, seq));
                if (upTo < 0 || seq > upTo || seq < from || bucket == null || mine.hidden().contains(seq)) {
                    continue;
                }
                bucket.entries().stream().filter(e -> e.seq() == seq).findFirst()
                        .map(e -> e.seenUpTo(upTo)).filter(Message.class::isInstance).map(Message.class::cast)
                        .filter(m -> !m.deleted()).ifPresent(found::add);
            }
        });
        found.sort(Comparator.comparing(Message::sentAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Message::conversationId).thenComparing(Comparator.comparingLong(Message::seq).reversed()));
        return new StarredMessages(found);
    }

    @QueryHandler
    Optional<MessageReceipts> handle(MessageReceiptsQuery query) {
        Optional<ConversationSummary> summary = views.summary(query.conversationId());
        long upTo = summary.map(s -> s.visibleUpTo(query.userId())).orElse(-1L);
        if (upTo < 0 || query.seq() > upTo || query.seq() < Math.max(1, summary.get().visibleFrom(query.userId()))) {
            return Optional.empty();
        }
        return views.bucket(query.conversationId(), query.seq())
                .flatMap(bucket -> bucket.entries().stream()
                        .filter(e -> e.seq() == query.seq() && e.entry() instanceof Message).findFirst())
                .filter(stored -> !stored.hiddenFrom(query.userId()))
                .map(stored -> MessageReceiptsView.receipts(summary.get(), ((Message) stored.entry()).senderId(),
                        query.seq(), stored.hiddenFrom()));
    }

    @QueryHandler
    Boolean handle(ConversationViewReachedQuery query) {
        // a conversation the views do not hold yet has reached nothing, not even its creation (seq 0)
        return views.summary(query.conversationId()).map(summary -> summary.lastSeq() >= query.seq()).orElse(false);
    }
}
