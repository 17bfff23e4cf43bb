package io.parley.api.conversation;

/**
 * Why the Conversation aggregate refused a command. Carried as the details of Axon's
 * {@code CommandExecutionException}, so it survives the trip through a distributed command bus
 * (Axon Server) as well as the local one, and the gateway can render a stable problem type from it.
 */
public record ConversationRejection(Code code, String detail) {

    /**
     * Stable reasons. {@link #problemType()} is the RFC 9457 {@code type} URI clients may switch on;
     * {@link #httpStatus()} is the status REST answers with. Non-members get 404, never 403, so the
     * existence of a conversation is not revealed to outsiders.
     */
    public enum Code {
        NOT_A_MEMBER(404),
        CONVERSATION_EXISTS(409),
        NOT_A_GROUP(409),
        NOT_AN_ADMIN(403),
        GROUP_FULL(409),
        ALREADY_A_MEMBER(409),
        INVALID_REQUEST(400),
        INVALID_TEXT(400),
        MESSAGE_NOT_FOUND(404),
        NOT_YOUR_MESSAGE(403),
        WINDOW_EXPIRED(409),
        MEDIA_NOT_OWNED(403),
        BLOCKED(403);

        private final int httpStatus;

        Code(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public String problemType() {
            return "https://parley.io/problems/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
