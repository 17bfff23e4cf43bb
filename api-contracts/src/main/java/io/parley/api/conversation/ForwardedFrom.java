package io.parley.api.conversation;

/**
 * Where a forwarded message was copied from: the message at {@code seq} of conversation {@code conversationId}.
 * The copy names its source and nothing more; what the source said is the copy's own content.
 */
public record ForwardedFrom(String conversationId, long seq) {
}
