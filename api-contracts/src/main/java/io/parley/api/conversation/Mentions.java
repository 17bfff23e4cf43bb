package io.parley.api.conversation;

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
}
