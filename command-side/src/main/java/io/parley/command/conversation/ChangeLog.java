package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.parley.api.conversation.ConversationCommands.MessageChanged;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The {@link SendLog} of edits, deletions and reactions asked for over STOMP: the last {@value #CAPACITY} results by
 * member and client message id, so a retried frame is answered with its first result instead of changing the
 * message again (or, for a deletion done by then, answering "nothing stored"). Part of the Conversation
 * aggregate's state, rebuilt from the events' {@code clientMessageId} and snapshotted with it.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
final class ChangeLog {
    /** As many as the send log: far more than any client retries in flight. */
    static final int CAPACITY = SendLog.CAPACITY;

    /** Keyed by member and client message id: one client cannot shadow another's ids. */
    private LinkedHashMap<String, MessageChanged> results = new LinkedHashMap<>();

    /** The result of the first change with this id, or null when the id is new, long forgotten or absent (REST). */
    MessageChanged first(String memberId, String clientMessageId) {
        return clientMessageId == null ? null : results.get(key(memberId, clientMessageId));
    }

    void record(String memberId, String clientMessageId, MessageChanged result) {
        if (clientMessageId == null) {
            return;
        }
        results.put(key(memberId, clientMessageId), result);
        if (results.size() > CAPACITY) {
            Iterator<String> eldest = results.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private static String key(String memberId, String clientMessageId) {
        return memberId + '/' + clientMessageId;
    }
}
