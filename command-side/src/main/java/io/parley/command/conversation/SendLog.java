package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.parley.api.conversation.ConversationCommands.SendResult;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The last {@value #CAPACITY} send results by sender and client message id, so a retried send is answered
 * with its first result instead of becoming a second message. Part of the Conversation aggregate's state
 * (snapshotted with it by Jackson, from fields).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.ANY)
final class SendLog {
    /** Client message ids remembered for idempotent sends: far more than any client retries in flight. */
    static final int CAPACITY = 1_000;

    /** Keyed by sender and client message id: one client cannot shadow another's ids. */
    private LinkedHashMap<String, SendResult> results = new LinkedHashMap<>();

    /** The result of the first send with this id, or null when the id is new (or long forgotten). */
    SendResult first(String senderId, String clientMessageId) {
        return results.get(key(senderId, clientMessageId));
    }

    void record(String senderId, SendResult result) {
        results.put(key(senderId, result.clientMessageId()), result);
        if (results.size() > CAPACITY) {
            Iterator<String> eldest = results.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private static String key(String senderId, String clientMessageId) {
        return senderId + '/' + clientMessageId;
    }
}
