package io.parley.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How {@link SignInThrottle} slows password guessing ({@code chat.security.sign-in.*}).
 *
 * @param freeFailuresPerHandle  failed sign-ins for one handle from one client address before waits begin
 * @param freeFailuresPerAddress failed sign-ins from one client address, whatever the handles, before waits begin
 * @param firstWait              the wait after the first failure beyond the free ones; each further failure doubles it
 * @param maxWait                the longest wait
 * @param forgetAfter            a counter untouched this long starts again from zero (at least {@code maxWait})
 * @param maxEntries             counters kept per kind (the least recently used go first)
 */
@ConfigurationProperties("chat.security.sign-in")
public record SignInThrottleProperties(Integer freeFailuresPerHandle, Integer freeFailuresPerAddress,
                                       Duration firstWait, Duration maxWait, Duration forgetAfter,
                                       Integer maxEntries) {

    public SignInThrottleProperties {
        freeFailuresPerHandle = freeFailuresPerHandle == null ? 5 : freeFailuresPerHandle;
        freeFailuresPerAddress = freeFailuresPerAddress == null ? 50 : freeFailuresPerAddress;
        firstWait = firstWait == null ? Duration.ofSeconds(1) : firstWait;
        maxWait = maxWait == null ? Duration.ofMinutes(15) : maxWait;
        forgetAfter = forgetAfter == null ? Duration.ofHours(1) : forgetAfter;
        maxEntries = maxEntries == null ? 100_000 : maxEntries;
        if (freeFailuresPerHandle < 0 || freeFailuresPerAddress < 0 || firstWait.isNegative() || firstWait.isZero()
                || maxWait.compareTo(firstWait) < 0 || maxEntries < 1) {
            throw new IllegalArgumentException("chat.security.sign-in: free failures >= 0, 0 < first-wait <= max-wait,"
                    + " max-entries >= 1");
        }
        // a counter forgotten while its wait still runs would lift the wait early
        forgetAfter = forgetAfter.compareTo(maxWait) < 0 ? maxWait : forgetAfter;
    }

    public static SignInThrottleProperties defaults() {
        return new SignInThrottleProperties(null, null, null, null, null, null);
    }
}
