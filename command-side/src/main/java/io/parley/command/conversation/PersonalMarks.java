package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import java.util.HashMap;

/**
 * What each member marked for themselves only: the messages they starred and those they deleted for themselves,
 * one {@link SeqSet} each per member, so repeating a star or a deletion stores nothing. Part of the Conversation
 * aggregate's state (snapshotted with it by Jackson, from fields).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
final class PersonalMarks {
    private HashMap<String, SeqSet> starred = new HashMap<>();
    private HashMap<String, SeqSet> hidden = new HashMap<>();

    boolean isStarred(String memberId, long seq) {
        SeqSet set = starred.get(memberId);
        return set != null && set.contains(seq);
    }

    boolean isHidden(String memberId, long seq) {
        SeqSet set = hidden.get(memberId);
        return set != null && set.contains(seq);
    }

    // ---------------------------------------------------------------- state changes (event sourcing only)

    void star(String memberId, long seq) {
        starred.computeIfAbsent(memberId, k -> new SeqSet()).add(seq);
    }

    void unstar(String memberId, long seq) {
        SeqSet set = starred.get(memberId);
        if (set != null) {
            set.remove(seq);
        }
    }

    /** Deleted for the member: no longer theirs to star either. */
    void hide(String memberId, long seq) {
        hidden.computeIfAbsent(memberId, k -> new SeqSet()).add(seq);
        unstar(memberId, seq);
    }
}
