package io.parley.projections.push;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Push notifications ({@code chat.push.*}). Without {@code credentials-path} push is off and there is no push
 * processor at all; turned on later, the processor catches up from its token, so no replay is needed.
 *
 * @param credentialsPath   a Firebase service-account JSON key file (Firebase console, Project settings,
 *                          Service accounts); null disables push
 * @param projectId         the Firebase project id; null takes the one in the key file
 * @param fcmEndpoint       where FCM requests go instead of https://fcm.googleapis.com (tests' stand-in server)
 * @param coalesceWindow    at most one push per device and conversation within this window; what arrives
 *                          meanwhile is summed up in one push when it closes
 * @param previewLength     text previews are cut to this many characters
 * @param maxMessageAge     older messages are not pushed (catch-up after downtime, first start on an old store)
 * @param sendTimeout       how long the processor waits for FCM's answers before moving on; unanswered pushes
 *                          stay recorded as in flight and finish in the background
 * @param retry             backoff for quota (429) and server (5xx) errors
 */
@ConfigurationProperties("chat.push")
public record PushProperties(Path credentialsPath,
                             String projectId,
                             URI fcmEndpoint,
                             @DefaultValue("10s") Duration coalesceWindow,
                             @DefaultValue("120") int previewLength,
                             @DefaultValue("15m") Duration maxMessageAge,
                             @DefaultValue("10s") Duration sendTimeout,
                             @DefaultValue Retry retry) {

    /**
     * @param initialBackoff the first retry waits this long (or FCM's Retry-After, when longer)
     * @param multiplier     each further retry waits this much longer
     * @param maxBackoff     no wait is longer
     * @param maxAttempts    retries before the push is dropped (the messages stay in the history either way)
     */
    public record Retry(@DefaultValue("1s") Duration initialBackoff,
                        @DefaultValue("2.0") double multiplier,
                        @DefaultValue("5m") Duration maxBackoff,
                        @DefaultValue("8") int maxAttempts) {

        Duration backoff(int attempt) {
            double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
            return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
        }
    }

    public boolean enabled() {
        return credentialsPath != null;
    }
}
