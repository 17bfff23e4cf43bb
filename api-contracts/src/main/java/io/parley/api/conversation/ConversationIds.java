package io.parley.api.conversation;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Ids both sides of a direct chat compute alike, so they always reach the same conversation. */
public final class ConversationIds {
    /**
     * The aggregate type the event store records with every conversation event (Axon's default: the aggregate
     * class's simple name), whose aggregate identifier is then the conversation id.
     */
    public static final String AGGREGATE_TYPE = "Conversation";

    private ConversationIds() {
    }

    public static String direct(String accountA, String accountB) {
        String first = accountA.compareTo(accountB) <= 0 ? accountA : accountB;
        String second = first.equals(accountA) ? accountB : accountA;
        return UUID.nameUUIDFromBytes(("direct:" + first + ":" + second).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
