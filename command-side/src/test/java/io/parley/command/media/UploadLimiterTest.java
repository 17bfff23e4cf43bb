package io.parley.command.media;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class UploadLimiterTest {

    private static UploadLimiter limiter(int uploads, String quota) {
        MediaProperties defaults = new MediaProperties(MediaProperties.Store.LOCAL,
                new MediaProperties.Limits(DataSize.parse("16MB"), DataSize.parse("64MB"), DataSize.parse("16MB"),
                        DataSize.parse("100MB")),
                null, 320, 100_000_000L,
                new MediaProperties.Rate(uploads, Duration.ofMinutes(1), DataSize.parse(quota)));
        return new UploadLimiter(defaults);
    }

    @Test
    void countsUploadsPerUserAndSaysWhenToRetry() {
        UploadLimiter limiter = limiter(3, "1GB");
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryStart("alice").allowed()).isTrue();
        }
        UploadLimiter.Permit refused = limiter.tryStart("alice");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(limiter.tryStart("bob").allowed()).isTrue();
    }

    @Test
    void chargesStoredBytesAgainstTheDailyQuota() {
        UploadLimiter limiter = limiter(30, "10MB");
        long quota = DataSize.parse("10MB").toBytes();
        assertThat(limiter.remainingBytes("alice")).isEqualTo(quota);
        limiter.charge("alice", quota - 100);
        assertThat(limiter.remainingBytes("alice")).isBetween(100L, 200L);
        limiter.charge("alice", 1000);
        assertThat(limiter.remainingBytes("alice")).isZero();
        assertThat(limiter.remainingBytes("bob")).isEqualTo(quota);
    }

    @Test
    void fileNamesAreSanitised() {
        assertThat(FileNames.sanitize("C:\\Users\\me\\cat.jpg")).isEqualTo("cat.jpg");
        assertThat(FileNames.sanitize("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitize("a\"b\r\nc.txt")).isEqualTo("abc.txt");
        assertThat(FileNames.sanitize("..")).isEqualTo("file");
        assertThat(FileNames.sanitize(null)).isEqualTo("file");
        assertThat(FileNames.sanitize("x".repeat(300))).hasSize(255);
    }
}
