package io.parley.projections.media;

import java.util.Map;

/**
 * One conversation in the {@code media-conversations} read model: {@code members} maps account id to the seq
 * from which the account is a member (0 for the founding members). Stored by {@link MediaConversationCodec}.
 */
public record MediaConversation(String id, Map<String, Long> members) {
}
