package io.parley.command.media;

import io.parley.api.media.MediaKind;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.jcodec.containers.mkv.MKVParser;
import org.jcodec.containers.mkv.MKVType;
import org.jcodec.containers.mkv.boxes.EbmlFloat;
import org.jcodec.containers.mkv.boxes.EbmlMaster;
import org.jcodec.containers.mkv.boxes.EbmlUint;
import org.jcodec.containers.mp4.boxes.MovieBox;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;
import org.jcodec.scale.AWTUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the containers of audio and video uploads say about themselves: duration, picture size, and whether a
 * "video" holds a picture at all (a voice note recorded by a browser is an audio-only WebM or MP4, which the
 * bytes' signature calls video). MP4/QuickTime/3GP and Matroska/WebM are read with JCodec (pure Java);
 * Ogg (Opus, Vorbis) from its last page's granule position, the one number a duration needs. The poster frame
 * is the first picture, decoded with JCodec (H.264 in MP4; other codecs get no poster). A container that cannot
 * be read keeps its detected type without metadata: players cope with such files, and a refusal would lose a
 * recording the sender cannot make again (README, Media).
 */
@Component
class AudioVideoProbe {

    private static final Logger log = LoggerFactory.getLogger(AudioVideoProbe.class);

    static final Set<String> MP4_FAMILY = Set.of("video/mp4", "video/quicktime", "video/3gpp", "audio/mp4",
            "audio/x-m4a");
    static final Set<String> MATROSKA_FAMILY = Set.of("video/webm", "video/x-matroska", "audio/webm",
            "audio/x-matroska");
    static final Set<String> OGG_FAMILY = Set.of("audio/ogg", "audio/opus", "audio/vorbis");

    /** Opus counts its granule positions at 48 kHz whatever the input rate (RFC 7845, section 4). */
    private static final int OPUS_RATE = 48_000;

    /** What the file's container says; {@code kind} and {@code contentType} refined for audio-only containers. */
    record Probe(MediaKind kind, String contentType, Long durationMillis, Integer width, Integer height,
                 BufferedImage poster) {

        static Probe nothing(MediaKind kind, String contentType) {
            return new Probe(kind, contentType, null, null, null, null);
        }
    }

    /**
     * @param maxPixels no poster is decoded for a picture larger than this (a tiny file may claim a huge frame)
     */
    Probe probe(Path file, String contentType, MediaKind kind, long maxPixels) {
        try {
            if (MP4_FAMILY.contains(contentType)) {
                return mp4(file, contentType, kind, maxPixels);
            }
            if (MATROSKA_FAMILY.contains(contentType)) {
                return matroska(file, contentType, kind, maxPixels);
            }
            if (OGG_FAMILY.contains(contentType)) {
                return ogg(file, contentType);
            }
        } catch (IOException | RuntimeException e) {
            log.info("Could not read the {} container of an upload: {}", contentType, e.toString());
        }
        return Probe.nothing(kind, contentType);
    }

    private Probe mp4(Path file, String contentType, MediaKind kind, long maxPixels) throws IOException {
        try (SeekableByteChannel channel = NIOUtils.readableChannel(file.toFile())) {
            MP4Demuxer demuxer = MP4Demuxer.createMP4Demuxer(channel);
            MovieBox movie = demuxer.getMovie();
            Long duration = movie.getTimescale() > 0 ? movie.getDuration() * 1000 / movie.getTimescale() : null;
            DemuxerTrack video = demuxer.getVideoTrack();
            if (video == null) {
                return demuxer.getAudioTracks().isEmpty() ? new Probe(kind, contentType, duration, null, null, null)
                        : new Probe(MediaKind.AUDIO, "audio/mp4", duration, null, null, null);
            }
            VideoCodecMeta meta = video.getMeta() == null ? null : video.getMeta().getVideoCodecMeta();
            Integer width = meta == null || meta.getSize() == null ? null : positive(meta.getSize().getWidth());
            Integer height = meta == null || meta.getSize() == null ? null : positive(meta.getSize().getHeight());
            return new Probe(MediaKind.VIDEO, contentType, duration, width, height,
                    poster(file, width, height, maxPixels));
        }
    }

    /**
     * Matroska/WebM read as an EBML tree (JCodec's parser; its demuxer assumes a video track and cannot open a
     * voice note). TrackType 1 is video, 2 audio (Matroska element table).
     */
    private Probe matroska(Path file, String contentType, MediaKind kind, long maxPixels) throws IOException {
        List<EbmlMaster> tree;
        try (SeekableByteChannel channel = NIOUtils.readableChannel(file.toFile())) {
            tree = new MKVParser(channel).parse();
        }
        EbmlFloat ticks = MKVType.findFirstTree(tree, new MKVType[]{MKVType.Segment, MKVType.Info, MKVType.Duration});
        EbmlUint scale = MKVType.findFirstTree(tree,
                new MKVType[]{MKVType.Segment, MKVType.Info, MKVType.TimecodeScale});
        // Duration is a float in units of TimecodeScale nanoseconds (default 1 ms)
        long nanosPerTick = scale == null ? 1_000_000 : scale.getUint();
        Long duration = ticks == null ? null : Math.round(ticks.getDouble() * nanosPerTick / 1_000_000.0);
        List<EbmlUint> types = MKVType.findList(tree, EbmlUint.class,
                new MKVType[]{MKVType.Segment, MKVType.Tracks, MKVType.TrackEntry, MKVType.TrackType});
        boolean video = types.stream().anyMatch(type -> type.getUint() == 1);
        boolean audio = types.stream().anyMatch(type -> type.getUint() == 2);
        if (!video) {
            if (!audio) {
                return new Probe(kind, contentType, duration, null, null, null);
            }
            String audioType = contentType.endsWith("webm") ? "audio/webm" : "audio/x-matroska";
            return new Probe(MediaKind.AUDIO, audioType, duration, null, null, null);
        }
        EbmlUint w = MKVType.findFirstTree(tree, new MKVType[]{MKVType.Segment, MKVType.Tracks, MKVType.TrackEntry,
                MKVType.Video, MKVType.PixelWidth});
        EbmlUint h = MKVType.findFirstTree(tree, new MKVType[]{MKVType.Segment, MKVType.Tracks, MKVType.TrackEntry,
                MKVType.Video, MKVType.PixelHeight});
        Integer width = w == null ? null : positive((int) Math.min(Integer.MAX_VALUE, w.getUint()));
        Integer height = h == null ? null : positive((int) Math.min(Integer.MAX_VALUE, h.getUint()));
        return new Probe(MediaKind.VIDEO, contentType, duration, width, height, poster(file, width, height, maxPixels));
    }

    /** The first picture, or null when the codec cannot be decoded here or the frame is too large. */
    private BufferedImage poster(Path file, Integer width, Integer height, long maxPixels) {
        if (width == null || height == null || (long) width * height > maxPixels) {
            return null;
        }
        try (SeekableByteChannel channel = NIOUtils.readableChannel(file.toFile())) {
            Picture picture = FrameGrab.createFrameGrab(channel).getNativeFrame();
            return picture == null ? null : AWTUtil.toBufferedImage(picture);
        } catch (Exception | LinkageError e) {
            // JCodec decodes H.264 (and a few others); VP8/VP9/AV1 WebM videos are stored without a poster
            log.info("No poster frame for a {}x{} video: {}", width, height, e.toString());
            return null;
        }
    }

    /**
     * An Ogg stream's codec from its first packet (Tika's name-based refinement calls every {@code .ogg} Vorbis,
     * so the bytes decide here) and its length: the granule position of its last page, in samples (Opus: at
     * 48 kHz, less the pre-skip of its {@code OpusHead}; Vorbis: at the rate of its identification header).
     */
    static Probe ogg(Path file, String contentType) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] head = new byte[Math.toIntExact(Math.min(in.length(), 64 * 1024))];
            in.readFully(head);
            int id = pageBody(head, 0);
            long rate;
            long preSkip = 0;
            String type;
            if (id >= 0 && startsWith(head, id, "OpusHead")) {
                preSkip = u16(head, id + 10);
                rate = OPUS_RATE;
                type = "audio/opus";
            } else if (id >= 0 && head.length > id + 16 && head[id] == 1 && startsWith(head, id + 1, "vorbis")) {
                rate = u32(head, id + 12);
                type = "audio/vorbis";
            } else {
                return Probe.nothing(MediaKind.AUDIO, contentType);
            }
            // the last page begins within the last 64 KB (a page holds at most 255 x 255 bytes of segments)
            long tailStart = Math.max(0, in.length() - 65_307);
            byte[] tail = new byte[Math.toIntExact(in.length() - tailStart)];
            in.seek(tailStart);
            in.readFully(tail);
            for (int i = tail.length - 27; i >= 0; i--) {
                if (startsWith(tail, i, "OggS") && tail[i + 4] == 0) {
                    long granule = u32(tail, i + 6) | (u32(tail, i + 10) << 32);
                    Long duration = granule < 0 || rate <= 0 ? null : Math.max(0, granule - preSkip) * 1000 / rate;
                    return new Probe(MediaKind.AUDIO, type, duration, null, null, null);
                }
            }
            return new Probe(MediaKind.AUDIO, type, null, null, null, null);
        }
    }

    /** Where the first packet of the page at {@code at} starts, or -1 when no page is there. */
    private static int pageBody(byte[] b, int at) {
        if (b.length < at + 27 || !startsWith(b, at, "OggS")) {
            return -1;
        }
        int segments = b[at + 26] & 0xff;
        int body = at + 27 + segments;
        return body < b.length ? body : -1;
    }

    private static boolean startsWith(byte[] b, int at, String ascii) {
        if (at < 0 || at + ascii.length() > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long u16(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static Integer positive(int value) {
        return value > 0 ? value : null;
    }
}
