package io.parley.command.media;

import io.parley.api.common.CommandRejected;
import io.parley.api.media.MediaCommands.UploadMedia;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MediaTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String ID = "0b6f6f0e-4d4c-4a8e-9d2e-6b1f2a3c4d5e";
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private AggregateTestFixture<Media> fixture;
    private final Map<String, MediaFiles.MediaFile> files = new HashMap<>();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Media.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        // stands in for the media_files table
        fixture.registerInjectableResource(new MediaFiles() {
            @Override
            public void record(MediaUploaded upload) {
                files.put(upload.mediaId(), MediaFiles.MediaFile.of(upload));
            }

            @Override
            public Optional<MediaFile> find(String mediaId) {
                return Optional.ofNullable(files.get(mediaId));
            }
        });
    }

    @Test
    void theUploadIsRecordedAsWriteSideStateWithItsEvent() {
        fixture.givenNoPriorActivity()
                .when(image(640, 480))
                .expectEvents(new MediaUploaded(ID, "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png",
                        640, 480, true, null, NOW));
        assertThat(files.get(ID)).isEqualTo(new MediaFiles.MediaFile(ID, "alice", SHA, 2048, "image/png",
                MediaKind.IMAGE, "cat.png", 640, 480, true, null));
        assertThat(files.get(ID).toRef())
                .isEqualTo(new MediaRef(ID, MediaKind.IMAGE, "image/png", 2048, 640, 480, "cat.png", true));
    }

    @Test
    void aRejectedUploadLeavesNoRecord() {
        fixture.givenNoPriorActivity().when(image(0, 480)).expectException(CommandRejected.class);
        assertThat(files).isEmpty();
    }

    private static UploadMedia image(Integer width, Integer height) {
        return new UploadMedia(ID, "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png", width, height, true, null);
    }

    @Test
    void recordsAnImageWithItsDimensionsAndTheServerTime() {
        fixture.givenNoPriorActivity()
                .when(image(640, 480))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new MediaUploaded(ID, "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png",
                        640, 480, true, null, NOW));
    }

    @Test
    void recordsADocumentWithoutDimensions() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "application/pdf", MediaKind.DOCUMENT, "a.pdf", null,
                        null, false, null))
                .expectEvents(new MediaUploaded(ID, "alice", SHA, 10, "application/pdf", MediaKind.DOCUMENT, "a.pdf",
                        null, null, false, null, NOW));
    }

    @Test
    void malformedHashOrEmptyFileIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", "ABC", 10, "image/png", MediaKind.IMAGE, "x", null, null, false, null))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 0, "image/png", MediaKind.IMAGE, "x", null, null, false, null))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void uploaderKindAndTypeAreRequired() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, " ", SHA, 10, "image/png", MediaKind.IMAGE, "x", null, null, false, null))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "image/png", null, "x", null, null, false, null))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "", MediaKind.IMAGE, "x", null, null, false, null))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void dimensionsMustBePositiveAndOnlyOnImagesAndVideos() {
        fixture.givenNoPriorActivity().when(image(0, 480))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity().when(image(640, null))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "audio/ogg", MediaKind.AUDIO, "v.ogg", 640, 480, false, 900L))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "audio/ogg", MediaKind.AUDIO, "v.ogg", null, null, true, 900L))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "application/pdf", MediaKind.DOCUMENT, "a.pdf", null, null,
                        true, null))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void aVideoIsRecordedWithItsSizeDurationAndPosterFrame() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "video/mp4", MediaKind.VIDEO, "v.mp4", 640, 480, true, 2000L))
                .expectEvents(new MediaUploaded(ID, "alice", SHA, 10, "video/mp4", MediaKind.VIDEO, "v.mp4", 640, 480,
                        true, 2000L, NOW));
        assertThat(files.get(ID).toRef().durationMillis()).isEqualTo(2000L);
    }

    @Test
    void aVoiceNoteIsRecordedWithItsDuration() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "audio/opus", MediaKind.AUDIO, "v.ogg", null, null, false,
                        3000L))
                .expectEvents(new MediaUploaded(ID, "alice", SHA, 10, "audio/opus", MediaKind.AUDIO, "v.ogg", null,
                        null, false, 3000L, NOW));
    }

    @Test
    void onlyAudioAndVideoCarryADurationAndNeverANegativeOne() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 2048, "image/png", MediaKind.IMAGE, "cat.png", 64, 64, true,
                        1000L))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "application/pdf", MediaKind.DOCUMENT, "a.pdf", null, null,
                        false, 1000L))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "audio/opus", MediaKind.AUDIO, "v.ogg", null, null, false,
                        -1L))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void overlongNameIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new UploadMedia(ID, "alice", SHA, 10, "text/plain", MediaKind.DOCUMENT, "n".repeat(256), null,
                        null, false, null))
                .expectException(CommandRejected.class).expectNoEvents();
    }
}
