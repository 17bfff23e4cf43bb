package io.parley.query.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code after}/{@code nextCursor} of the audit API: the global position the next page starts after,
 * versioned and base64url-encoded so clients pass it back as it is instead of computing positions.
 */
public final class AuditCursor {

    private static final String PREFIX = "a1:";

    private AuditCursor() {
    }

    public static String encode(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidAuditQueryException {@code invalid-cursor} for anything {@link #encode} did not make */
    public static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(PREFIX)) {
                long position = Long.parseLong(text.substring(PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException malformed) {
            // falls through to the refusal below (NumberFormatException is one too)
        }
        throw new InvalidAuditQueryException("invalid-cursor", "'after' must be a nextCursor of a previous page");
    }
}
