package io.parley.projections.push;

import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one FCM answer means for the token and the push, classified as Signal-Server's FcmSender does: the
 * messaging error code first, the HTTP status when there is none.
 *
 * @param kind       what to do next
 * @param code       FCM's error code (or {@code http<status>}, {@code unknown}); the reason recorded when pruning
 * @param retryAfter FCM's Retry-After, when it sent one
 */
record FcmOutcome(Kind kind, String code, Duration retryAfter) {

    enum Kind {
        /** FCM took it */
        ACCEPTED,
        /** the token will never work again: remove the device */
        DEAD_TOKEN,
        /** quota, server or network trouble: try again later */
        RETRY,
        /** something in our request or project is wrong: retrying cannot help, the token may be fine */
        FAILED
    }

    static final FcmOutcome ACCEPTED = new FcmOutcome(Kind.ACCEPTED, null, null);

    static FcmOutcome unknownFailure() {
        return new FcmOutcome(Kind.RETRY, "unknown", null);
    }

    static FcmOutcome of(FirebaseMessagingException e) {
        IncomingHttpResponse response = e.getHttpResponse();
        Duration retryAfter = response == null ? null : retryAfter(response);
        MessagingErrorCode code = e.getMessagingErrorCode();
        if (code != null) {
            return switch (code) {
                // the app was uninstalled or the token expired
                case UNREGISTERED -> new FcmOutcome(Kind.DEAD_TOKEN, code.name(), null);
                // the token belongs to another Firebase project
                case SENDER_ID_MISMATCH -> new FcmOutcome(Kind.DEAD_TOKEN, code.name(), null);
                // FCM says INVALID_ARGUMENT both for a malformed token and for a malformed message; only the first
                // condemns the token (a bug of ours must not wipe every user's devices)
                case INVALID_ARGUMENT -> aboutToken(e)
                        ? new FcmOutcome(Kind.DEAD_TOKEN, code.name(), null)
                        : new FcmOutcome(Kind.FAILED, code.name(), null);
                case QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL -> new FcmOutcome(Kind.RETRY, code.name(), retryAfter);
                // APNs or web-push credentials of the project are wrong: an operator has to act
                case THIRD_PARTY_AUTH_ERROR -> new FcmOutcome(Kind.FAILED, code.name(), null);
            };
        }
        if (response == null) {
            // no answer at all: connection refused, reset or timed out
            return new FcmOutcome(Kind.RETRY, "unknown", null);
        }
        int status = response.getStatusCode();
        Kind kind = status == 429 || status >= 500 ? Kind.RETRY : Kind.FAILED;
        return new FcmOutcome(kind, "http" + status, kind == Kind.RETRY ? retryAfter : null);
    }

    private static boolean aboutToken(FirebaseMessagingException e) {
        String text = (e.getMessage() == null ? "" : e.getMessage())
                + (e.getHttpResponse() == null || e.getHttpResponse().getContent() == null ? ""
                : e.getHttpResponse().getContent());
        return text.toLowerCase(Locale.ROOT).contains("registration token") || text.contains("message.token");
    }

    /** Retry-After in seconds (FCM sends seconds; an HTTP date is rare enough to fall back to our backoff). */
    private static Duration retryAfter(IncomingHttpResponse response) {
        Object value = response.getHeaders().get("retry-after");
        if (value instanceof List<?> list && !list.isEmpty()) {
            value = list.get(0);
        }
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.toString().trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
