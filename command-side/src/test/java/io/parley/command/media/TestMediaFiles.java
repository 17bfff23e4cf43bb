package io.parley.command.media;

import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.AudioCodecMeta;
import org.jcodec.common.AudioFormat;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Packet;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real, small audio and video files made by the tests themselves (no binary fixtures in the repository): an
 * H.264 MP4 encoded by JCodec, an audio-only MP4 muxed by JCodec, an Ogg Opus stream and an audio-only WebM
 * written byte by byte after their specifications (RFC 3533 and 7845; the Matroska/EBML element table).
 */
public final class TestMediaFiles {
    private TestMediaFiles() {
    }

    /** {@code frames} frames at 25 fps, {@code width} x {@code height}, the first one red. */
    public static Path h264Mp4(Path dir, int width, int height, int frames) throws IOException {
        Path file = dir.resolve("clip-" + System.nanoTime() + ".mp4");
        AWTSequenceEncoder encoder = AWTSequenceEncoder.createSequenceEncoder(file.toFile(), 25);
        for (int i = 0; i < frames; i++) {
            BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frame.createGraphics();
            g.setColor(i == 0 ? Color.RED : new Color(0, (i * 5) % 255, 200));
            g.fillRect(0, 0, width, height);
            g.dispose();
            encoder.encodeImage(frame);
        }
        encoder.finish();
        return file;
    }

    /** An MP4 holding one track of 16-bit mono PCM at 8 kHz and nothing else, {@code seconds} long. */
    public static Path audioOnlyMp4(Path dir, int seconds) throws IOException {
        Path file = dir.resolve("voice-" + System.nanoTime() + ".m4a");
        try (SeekableByteChannel channel = NIOUtils.writableChannel(file.toFile())) {
            MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(channel);
            AudioFormat format = AudioFormat.MONO_S16_LE(8000);
            MuxerTrack track = muxer.addAudioTrack(Codec.PCM, AudioCodecMeta.fromAudioFormat(format));
            for (int s = 0; s < seconds; s++) {
                ByteBuffer samples = ByteBuffer.allocate(16_000);
                track.addFrame(Packet.createPacket(samples, s * 8000L, 8000, 8000, s, Packet.FrameType.KEY, null));
            }
            muxer.finish();
        }
        return file;
    }

    /** An Ogg Opus stream of {@code frames} 20 ms packets (48 kHz granules) after a pre-skip of 312 samples. */
    public static Path oggOpus(Path dir, int frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1).putShort((short) 312)
                .putInt(48_000).putShort((short) 0).put((byte) 0);
        out.write(oggPage(0x02, 0, 0, new byte[][]{head.array()}));
        ByteBuffer tags = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(4)
                .put("test".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        out.write(oggPage(0, 0, 1, new byte[][]{tags.array()}));
        int perPage = 50;
        int page = 2;
        for (int done = 0; done < frames; done += perPage, page++) {
            int n = Math.min(perPage, frames - done);
            byte[][] packets = new byte[n][];
            for (int i = 0; i < n; i++) {
                packets[i] = new byte[]{(byte) 0xF8, (byte) 0xFF, (byte) 0xFE}; // CELT 20 ms frame, silence
            }
            boolean last = done + n >= frames;
            out.write(oggPage(last ? 0x04 : 0, 312L + (long) (done + n) * 960, page, packets));
        }
        Path file = dir.resolve("voice-" + System.nanoTime() + ".ogg");
        Files.write(file, out.toByteArray());
        return file;
    }

    private static byte[] oggPage(int type, long granule, int sequence, byte[][] packets) {
        ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            int left = packet.length;
            while (left >= 255) {
                lacing.write(255);
                left -= 255;
            }
            lacing.write(left);
            body.writeBytes(packet);
        }
        ByteBuffer page = ByteBuffer.allocate(27 + lacing.size() + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) type).putLong(granule)
                .putInt(0x5041524c).putInt(sequence).putInt(0).put((byte) lacing.size())
                .put(lacing.toByteArray()).put(body.toByteArray());
        byte[] bytes = page.array();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(22, oggCrc(bytes));
        return bytes;
    }

    /** CRC-32 with polynomial 0x04C11DB7, no reflection, initial value 0 (RFC 3533, section 6). */
    private static int oggCrc(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 24;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }

    /** A WebM with one Opus audio track and no video, its Info saying {@code durationMillis}. */
    public static Path audioOnlyWebm(Path dir, double durationMillis) throws IOException {
        byte[] ebml = element(0x1A45DFA3, concat(element(0x4286, uint(1)), element(0x42F7, uint(1)),
                element(0x42F2, uint(4)), element(0x42F3, uint(8)), element(0x4282, ascii("webm")),
                element(0x4287, uint(2)), element(0x4285, uint(2))));
        byte[] info = element(0x1549A966, concat(element(0x2AD7B1, uint(1_000_000)),
                element(0x4489, ByteBuffer.allocate(8).putDouble(durationMillis).array()),
                element(0x4D80, ascii("parley-test")), element(0x5741, ascii("parley-test"))));
        byte[] audio = element(0xE1, concat(element(0xB5, ByteBuffer.allocate(8).putDouble(48_000).array()),
                element(0x9F, uint(1))));
        byte[] track = element(0xAE, concat(element(0xD7, uint(1)), element(0x73C5, uint(1)), element(0x83, uint(2)),
                element(0x86, ascii("A_OPUS")), audio));
        byte[] tracks = element(0x1654AE6B, track);
        byte[] cluster = element(0x1F43B675, concat(element(0xE7, uint(0)),
                element(0xA3, new byte[]{(byte) 0x81, 0, 0, (byte) 0x80, (byte) 0xF8, (byte) 0xFF, (byte) 0xFE})));
        byte[] segment = element(0x18538067, concat(info, tracks, cluster));
        Path file = dir.resolve("voice-" + System.nanoTime() + ".webm");
        Files.write(file, concat(ebml, segment));
        return file;
    }

    private static byte[] element(int id, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int shift = 24; shift >= 0; shift -= 8) {
            int b = (id >>> shift) & 0xff;
            if (b != 0 || out.size() > 0) {
                out.write(b);
            }
        }
        long size = payload.length;
        // an 8-byte size (marker 0x01): always valid, whatever the length
        out.write(0x01);
        for (int shift = 48; shift >= 0; shift -= 8) {
            out.write((int) (size >>> shift) & 0xff);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] uint(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
