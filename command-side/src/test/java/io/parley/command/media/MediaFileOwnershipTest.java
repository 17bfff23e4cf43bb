package io.parley.command.media;

import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MediaFileOwnershipTest {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final Map<String, MediaFiles.MediaFile> rows = new HashMap<>();
    private int reads;
    private final MediaFiles files = new MediaFiles() {
        @Override
        public void record(MediaUploaded upload) {
            rows.put(upload.mediaId(), MediaFiles.MediaFile.of(upload));
        }

        @Override
        public Optional<MediaFile> find(String mediaId) {
            reads++;
            return Optional.ofNullable(rows.get(mediaId));
        }
    };
    private final MediaFileOwnership ownership = new MediaFileOwnership(files);

    private static MediaRef claim(String mediaId) {
        // what a client may claim about a file: only the id counts
        return new MediaRef(mediaId, MediaKind.VIDEO, "video/mp4", 1, null, null, "claimed.mp4", false);
    }

    @Test
    void theUploaderGetsTheRecordedReferenceOthersGetNothing() {
        files.record(new MediaUploaded("m1", "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png", 64, 48,
                true, null, Instant.EPOCH));

        assertThat(ownership.resolveOwned(claim("m1"), "alice"))
                .contains(new MediaRef("m1", MediaKind.IMAGE, "image/png", 2048, 64, 48, "cat.png", true));
        assertThat(ownership.resolveOwned(claim("m1"), "bob")).isEmpty();
        assertThat(ownership.resolveOwned(claim("m1"), null)).isEmpty();
        assertThat(ownership.resolveOwned(null, "alice")).isEmpty();
    }

    @Test
    void aFoundRowIsReadOnceAMissIsAskedAgain() {
        assertThat(ownership.resolveOwned(claim("m2"), "alice")).isEmpty();
        files.record(new MediaUploaded("m2", "alice", SHA, 10, "application/pdf", MediaKind.DOCUMENT, "a.pdf", null,
                null, false, null, Instant.EPOCH));
        assertThat(ownership.resolveOwned(claim("m2"), "alice")).isPresent();
        assertThat(ownership.resolveOwned(claim("m2"), "alice")).isPresent();
        assertThat(reads).isEqualTo(2);
    }
}
