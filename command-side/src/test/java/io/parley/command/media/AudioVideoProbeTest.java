package io.parley.command.media;

import io.parley.api.media.MediaKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AudioVideoProbeTest {

    private final AudioVideoProbe probe = new AudioVideoProbe();

    @TempDir
    Path dir;

    @Test
    void anH264VideoGetsItsDurationSizeAndTheFirstPictureAsPoster() throws Exception {
        Path clip = TestMediaFiles.h264Mp4(dir, 64, 48, 50);

        AudioVideoProbe.Probe result = probe.probe(clip, "video/mp4", MediaKind.VIDEO, 100_000_000);

        assertThat(result.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(result.durationMillis()).isEqualTo(2000);
        assertThat(result.width()).isEqualTo(64);
        assertThat(result.height()).isEqualTo(48);
        assertThat(result.poster()).isNotNull();
        Color centre = new Color(result.poster().getRGB(32, 24));
        assertThat(centre.getRed()).isGreaterThan(200);
        assertThat(centre.getGreen()).isLessThan(60);
    }

    @Test
    void noPosterIsDecodedForAFrameLargerThanTheLimit() throws Exception {
        Path clip = TestMediaFiles.h264Mp4(dir, 64, 48, 5);

        AudioVideoProbe.Probe result = probe.probe(clip, "video/mp4", MediaKind.VIDEO, 1_000);

        assertThat(result.width()).isEqualTo(64);
        assertThat(result.poster()).isNull();
    }

    @Test
    void anMp4WithOnlySoundIsAudio() throws Exception {
        Path voice = TestMediaFiles.audioOnlyMp4(dir, 3);

        AudioVideoProbe.Probe result = probe.probe(voice, "video/mp4", MediaKind.VIDEO, 100_000_000);

        assertThat(result.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(result.contentType()).isEqualTo("audio/mp4");
        assertThat(result.durationMillis()).isEqualTo(3000);
        assertThat(result.width()).isNull();
        assertThat(result.poster()).isNull();
    }

    @Test
    void anOggOpusVoiceNoteLastsItsGranulesLessThePreSkip() throws Exception {
        Path voice = TestMediaFiles.oggOpus(dir, 150); // 150 x 20 ms

        // Tika names any .ogg file Vorbis: the first packet says Opus
        AudioVideoProbe.Probe result = probe.probe(voice, "audio/vorbis", MediaKind.AUDIO, 100_000_000);

        assertThat(result.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(result.contentType()).isEqualTo("audio/opus");
        assertThat(result.durationMillis()).isEqualTo(3000);
    }

    @Test
    void aWebmWithOnlyAnOpusTrackIsAudio() throws Exception {
        Path voice = TestMediaFiles.audioOnlyWebm(dir, 2500.0);

        AudioVideoProbe.Probe result = probe.probe(voice, "video/webm", MediaKind.VIDEO, 100_000_000);

        assertThat(result.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(result.contentType()).isEqualTo("audio/webm");
        assertThat(result.durationMillis()).isEqualTo(2500);
    }

    @Test
    void aContainerThatCannotBeReadKeepsItsTypeWithoutMetadata() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        Files.write(junk, new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 1, 2, 3});

        AudioVideoProbe.Probe result = probe.probe(junk, "video/mp4", MediaKind.VIDEO, 100_000_000);

        assertThat(result).isEqualTo(AudioVideoProbe.Probe.nothing(MediaKind.VIDEO, "video/mp4"));
    }
}
