package io.parley.api.conversation;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Ids both sides of a direct chat compute alike, so they always reach the same conversation. */
public final class ConversationIds {
    private ConversationIds() {
    }

    public static String direct(String accountA, String accountB) {
        String first = accountA.compareTo(accountB) <= 0 ? accountA : accountB;
        String second = first.equals(accountA) ? accountB : accountA;
        return UUID.nameUUIDFromBytes(("direct:" + first + ":" + second).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
