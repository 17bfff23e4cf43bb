package io.parley.api.conversation;

import io.parley.api.account.AccountIds;
import io.parley.api.common.CommandRejected;

import java.util.List;

/**
 * The wire form of mentions in a send (README, API): {@code mentions} lists member ids (lower-case UUIDs, as
 * every account id), at most {@link #MAX} of them; in a group the entry {@link #ALL} stands for every current
 * member but the sender. The stored {@link ConversationEvents.MessageSent} carries the resolved member ids.
 */
public final class Mentions {
    /** Mentions every current member of a group except the sender. */
    public static final String ALL = "@all";
    /** The most entries a send's {@code mentions} may list. */
    public static final int MAX = 100;

    private Mentions() {
    }

    /**
     * Checked at the edge like every account id a client sends (issue 15): each entry is {@link #ALL} or a
     * canonical lower-case UUID; null counts as no mentions. Whether each names a member is the aggregate's call.
     *
     * @throws CommandRejected {@code invalid-account-id} (400) for any other entry
     */
    public static void requireWellFormed(List<String> mentions) {
        if (mentions != null) {
            mentions.stream().filter(m -> !ALL.equals(m)).forEach(m -> AccountIds.require(m, "mentions"));
        }
    }
}
