package io.parley.command.media;

import io.parley.api.media.MediaKind;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * {@code chat.media.*}: where files go, which types are accepted, how big they may be, and how much one user may
 * upload.
 *
 * @param store           {@code local} (files under {@code <chat.data-dir>/media}) or {@code gridfs} (MongoDB GridFS,
 *                        for the distributed profile)
 * @param limits          the largest file of each kind
 * @param types           the allowlist: detected types accepted for each kind; anything else is refused
 * @param thumbnailSize   the longest side of a thumbnail, in pixels
 * @param maxImagePixels  images above this many pixels are stored but not decoded for a thumbnail, so a small
 *                        file that decompresses into a huge bitmap cannot exhaust the node
 * @param rate            per-user upload limits
 */
@ConfigurationProperties("chat.media")
public record MediaProperties(@DefaultValue("local") Store store,
                              @DefaultValue Limits limits,
                              @DefaultValue Types types,
                              @DefaultValue("320") int thumbnailSize,
                              @DefaultValue("100000000") long maxImagePixels,
                              @DefaultValue Rate rate) {

    public enum Store { LOCAL, GRIDFS }

    public record Limits(@DefaultValue("16MB") DataSize image,
                         @DefaultValue("64MB") DataSize video,
                         @DefaultValue("16MB") DataSize audio,
                         @DefaultValue("100MB") DataSize document) {

        public long of(MediaKind kind) {
            return switch (kind) {
                case IMAGE -> image.toBytes();
                case VIDEO -> video.toBytes();
                case AUDIO -> audio.toBytes();
                case DOCUMENT -> document.toBytes();
            };
        }

        public long largest() {
            return Math.max(Math.max(image.toBytes(), audio.toBytes()), Math.max(video.toBytes(), document.toBytes()));
        }
    }

    /**
     * No HTML, SVG or other scriptable types: a file served from this origin must never run in a browser. Office
     * formats are zip or OLE containers that tika-core names {@code application/x-tika-ooxml} /
     * {@code application/x-tika-msoffice} unless the file name refines them to a subtype.
     */
    public record Types(@DefaultValue({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"})
                        List<String> image,
                        @DefaultValue({"video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/3gpp"})
                        List<String> video,
                        @DefaultValue({"audio/ogg", "audio/opus", "audio/vorbis", "audio/mp4", "audio/webm",
                                "audio/x-matroska", "audio/mpeg", "audio/aac", "audio/x-aac", "audio/vnd.wave", "audio/wav", "audio/x-wav"})
                        List<String> audio,
                        @DefaultValue({"application/pdf", "text/plain", "application/zip", "application/x-tika-ooxml",
                                "application/x-tika-msoffice", "application/msword", "application/vnd.ms-excel",
                                "application/vnd.ms-powerpoint",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                                "application/vnd.oasis.opendocument.text",
                                "application/vnd.oasis.opendocument.spreadsheet", "application/octet-stream"})
                        List<String> document) {

        /** The kind a detected type is accepted as, or null when it is not on the allowlist. */
        public MediaKind kindOf(String type) {
            if (image.contains(type)) {
                return MediaKind.IMAGE;
            }
            if (video.contains(type)) {
                return MediaKind.VIDEO;
            }
            if (audio.contains(type)) {
                return MediaKind.AUDIO;
            }
            return document.contains(type) ? MediaKind.DOCUMENT : null;
        }
    }

    /**
     * @param uploads       uploads per {@code per} and user (a burst of that many, refilled evenly)
     * @param per           the window of {@code uploads}
     * @param dailyQuota    bytes one user may upload per rolling day
     */
    public record Rate(@DefaultValue("30") int uploads,
                       @DefaultValue("1m") Duration per,
                       @DefaultValue("2GB") DataSize dailyQuota) {
    }
}
