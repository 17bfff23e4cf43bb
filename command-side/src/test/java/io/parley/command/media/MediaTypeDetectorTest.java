package io.parley.command.media;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The type comes from the bytes; a file name only refines what the bytes already say (issue 15). */
class MediaTypeDetectorTest {

    private final MediaTypeDetector detector = new MediaTypeDetector();

    private String detect(byte[] bytes, String name) throws IOException {
        return detector.detect(new BufferedInputStream(new ByteArrayInputStream(bytes)), name);
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(15).nextBytes(bytes);
        return bytes;
    }

    @Test
    void randomBytesNamedPngAreNotAnImage() throws IOException {
        assertThat(detect(random(3000), "innocent.png")).isEqualTo("application/octet-stream");
    }

    @Test
    void aZipHeaderPlusJunkNamedPngIsNotAnImage() throws IOException {
        byte[] bytes = random(3000);
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = 3;
        bytes[3] = 4;
        assertThat(detect(bytes, "innocent.png")).doesNotStartWith("image/");
    }

    @Test
    void aNameStillRefinesWhatTheBytesSay() throws IOException {
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(detect(csv, "table.csv")).isEqualTo("text/csv");
        assertThat(detect("hello".getBytes(StandardCharsets.UTF_8), "notes.txt")).isEqualTo("text/plain");
    }

    @Test
    void realPngBytesArePng() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThat(detect(png, "whatever.bin")).isEqualTo("image/png");
    }
}
