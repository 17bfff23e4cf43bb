package io.parley.projections.search;

import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may find which messages: one MongoDB document per user ({@code _id} = user id) listing, per conversation,
 * the seq intervals in which the user was a member: {@code {c: [{id, since, until}], hidden: [documentId]}}
 * ({@code hidden}: the messages the user deleted for themselves). A member sees the messages
 * with {@code since < seq < until} (until absent while still a member): a founding member from seq 0, someone
 * added at seq k only what came after k, someone removed (or who left) at seq r nothing from r on. Re-adding
 * opens a new interval, and only the latest one is searched ({@link #latest}). Built by the
 * {@code message-search} processor itself from the membership events, so it
 * always matches the index it guards; kept per index generation (see {@link MessageIndex}).
 */
public final class SearchMemberships {

    public static final String COLLECTION_PREFIX = "search_members_";
    static final String CONVERSATIONS = "c";
    static final String ID = "id";
    static final String SINCE = "since";
    static final String UNTIL = "until";
    /** The message document ids the user deleted for themselves: never among their hits. */
    static final String HIDDEN = "hidden";

    private SearchMemberships() {
    }

    public static String collection(String concreteIndex) {
        return COLLECTION_PREFIX + concreteIndex;
    }

    /** One membership interval, exclusive bounds; {@code until} null while the user is still a member. */
    public record Interval(String conversationId, long since, Long until) {
    }

    public static List<Interval> intervals(Document membership) {
        List<Interval> intervals = new ArrayList<>();
        if (membership == null) {
            return intervals;
        }
        for (Document d : membership.getList(CONVERSATIONS, Document.class, List.of())) {
            Number until = d.get(UNTIL, Number.class);
            intervals.add(new Interval(d.getString(ID), d.get(SINCE, Number.class).longValue(),
                    until == null ? null : until.longValue()));
        }
        return intervals;
    }

    /**
     * Per conversation, only the latest interval: as history and sync, search follows a member's latest
     * membership, so someone removed and added again finds only what followed the re-adding (docs/design.md,
     * section 4, "Late joiners and former members"). Older intervals stay stored: a replay rebuilds the same list.
     */
    public static List<Interval> latest(List<Interval> intervals) {
        Map<String, Interval> last = new LinkedHashMap<>();
        intervals.forEach(i -> last.put(i.conversationId(), i));
        return new ArrayList<>(last.values());
    }

    /** The message document ids the user deleted for themselves (absent in documents older than the field). */
    public static List<String> hidden(Document membership) {
        return membership == null ? List.of() : membership.getList(HIDDEN, String.class, List.of());
    }

    /** Adds a message deleted for the user; a replayed deletion finds it and changes nothing. */
    static boolean hide(Document membership, String documentId) {
        List<String> hidden = membership.getList(HIDDEN, String.class);
        if (hidden == null) {
            hidden = new ArrayList<>();
            membership.put(HIDDEN, hidden);
        }
        if (hidden.contains(documentId)) {
            return false;
        }
        hidden.add(documentId);
        return true;
    }

    /** Opens an interval at {@code since} unless one is open already or this one was applied before (replay). */
    static boolean open(Document membership, String conversationId, long since) {
        List<Document> list = conversations(membership);
        for (Document d : list) {
            if (conversationId.equals(d.getString(ID))
                    && (d.get(UNTIL) == null || d.get(SINCE, Number.class).longValue() == since)) {
                return false;
            }
        }
        list.add(new Document(ID, conversationId).append(SINCE, since));
        return true;
    }

    /** Closes the open interval at {@code until}; a replayed close finds nothing open and changes nothing. */
    static boolean close(Document membership, String conversationId, long until) {
        for (Document d : conversations(membership)) {
            if (conversationId.equals(d.getString(ID)) && d.get(UNTIL) == null
                    && d.get(SINCE, Number.class).longValue() < until) {
                d.put(UNTIL, until);
                return true;
            }
        }
        return false;
    }

    private static List<Document> conversations(Document membership) {
        List<Document> list = membership.getList(CONVERSATIONS, Document.class);
        if (list == null) {
            list = new ArrayList<>();
            membership.put(CONVERSATIONS, list);
        }
        return list;
    }
}
