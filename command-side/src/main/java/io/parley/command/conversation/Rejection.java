package io.parley.command.conversation;

import io.parley.api.common.CommandRejected;
import io.parley.api.common.CommandRejected.Reason;

import java.util.Locale;

/**
 * The Conversation aggregate's refusals, each with its stable problem code ({@code not-a-member},
 * {@code group-full}, ...) and HTTP class. Non-members get NOT_FOUND, never FORBIDDEN, so the existence of
 * a conversation is not revealed to outsiders.
 */
enum Rejection {
    NOT_A_MEMBER(Reason.NOT_FOUND),
    NOT_A_GROUP(Reason.CONFLICT),
    NOT_AN_ADMIN(Reason.FORBIDDEN),
    GROUP_FULL(Reason.CONFLICT),
    ALREADY_A_MEMBER(Reason.CONFLICT),
    INVALID_REQUEST(Reason.INVALID),
    INVALID_TEXT(Reason.INVALID),
    MESSAGE_NOT_FOUND(Reason.NOT_FOUND),
    NOT_YOUR_MESSAGE(Reason.FORBIDDEN),
    WINDOW_EXPIRED(Reason.CONFLICT),
    MEDIA_NOT_OWNED(Reason.FORBIDDEN),
    BLOCKED(Reason.FORBIDDEN),
    ACCOUNT_NOT_FOUND(Reason.NOT_FOUND),
    /** A mention names someone who is not a current member: a bad request, not a hidden conversation. */
    MENTION_NOT_A_MEMBER(Reason.INVALID),
    INVALID_MENTIONS(Reason.INVALID),
    /** Demoting the group's only admin would leave it without one. */
    LAST_ADMIN(Reason.CONFLICT),
    INVALID_AVATAR(Reason.INVALID),
    INVITE_NOT_FOUND(Reason.NOT_FOUND),
    INVITE_REVOKED(Reason.GONE),
    INVITE_EXPIRED(Reason.GONE),
    INVITE_USED_UP(Reason.CONFLICT);

    private final Reason reason;

    Rejection(Reason reason) {
        this.reason = reason;
    }

    String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    CommandRejected because(String detail) {
        return new CommandRejected(reason, code(), detail);
    }

    static void require(boolean condition, Rejection rejection, String detail) {
        if (!condition) {
            throw rejection.because(detail);
        }
    }
}
