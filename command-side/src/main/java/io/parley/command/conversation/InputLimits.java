package io.parley.command.conversation;

/**
 * The size limits of what members type: message text (and captions), group titles, reactions and client
 * message ids. Each check normalizes (strips) its input the way the stored event carries it and refuses what
 * falls outside the limit, and anything holding U+0000: PostgreSQL text refuses it, so an event carrying one
 * could not even be parked in the dead-letter queue and stalled a projection for good (issue 15).
 */
final class InputLimits {
    static final int TEXT_MAX = 65_536;
    static final int TITLE_MAX = 256;
    static final int EMOJI_MAX = 32;
    static final int CLIENT_MESSAGE_ID_MAX = 128;

    private InputLimits() {
    }

    /** WhatsApp allows 2,048 characters; a description is a paragraph, not a document. */
    static final int DESCRIPTION_MAX = 2_048;

    static String title(String title) {
        String stripped = title == null ? "" : title.strip();
        Rejection.require(!stripped.isEmpty() && stripped.length() <= TITLE_MAX && !hasNul(stripped),
                Rejection.INVALID_REQUEST, "a group title is 1.." + TITLE_MAX + " characters, without U+0000");
        return stripped;
    }

    /** A group description: stripped, at most {@value #DESCRIPTION_MAX} characters; blank clears it (null). */
    static String description(String description) {
        String stripped = description == null ? "" : description.strip();
        Rejection.require(stripped.length() <= DESCRIPTION_MAX && !hasNul(stripped), Rejection.INVALID_TEXT,
                "a group description is at most " + DESCRIPTION_MAX + " characters, without U+0000");
        return stripped.isEmpty() ? null : stripped;
    }

    /** Stripped text, or null when there was none; the caller decides whether none is allowed. */
    static String stripped(String text) {
        return text == null ? null : text.strip();
    }

    static void requireText(String text) {
        int length = text == null ? 0 : text.codePointCount(0, text.length());
        if (length < 1 || length > TEXT_MAX) {
            throw Rejection.INVALID_TEXT.because("message text is 1.." + TEXT_MAX + " characters after trimming");
        }
        if (hasNul(text)) {
            throw Rejection.INVALID_TEXT.because("message text may not contain U+0000");
        }
    }

    /** U+0000 in any text a member typed: refused everywhere (see the class comment). */
    static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** A stripped reaction, or null (a blank reaction takes one's reaction back). */
    static String emoji(String emoji) {
        String stripped = emoji == null || emoji.isBlank() ? null : emoji.strip();
        Rejection.require(stripped == null || stripped.codePointCount(0, stripped.length()) <= EMOJI_MAX
                        && !hasNul(stripped),
                Rejection.INVALID_REQUEST, "a reaction is at most " + EMOJI_MAX + " characters, without U+0000");
        return stripped;
    }

    static void requireClientMessageId(String clientMessageId) {
        Rejection.require(clientMessageId != null && !clientMessageId.isBlank()
                        && clientMessageId.length() <= CLIENT_MESSAGE_ID_MAX && !hasNul(clientMessageId),
                Rejection.INVALID_REQUEST,
                "clientMessageId is required (at most " + CLIENT_MESSAGE_ID_MAX + " characters, without U+0000)");
    }
}
