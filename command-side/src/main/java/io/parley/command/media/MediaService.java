package io.parley.command.media;

import io.parley.api.media.MediaCommands.UploadMedia;
import io.parley.api.media.MediaKind;
import io.parley.command.media.storage.BlobTooLargeException;
import io.parley.command.media.storage.MediaStores;
import io.parley.command.media.storage.StagedBlob;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.UUID;

/**
 * One upload, start to end: limits, type from the bytes, staging while hashing, image dimensions and thumbnail,
 * the blob put in place, then the {@code UploadMedia} command (which stores {@code MediaUploaded} and the
 * {@code media_files} row). Every refusal is an {@link UploadRejected} thrown before the blob is committed, and
 * the staged file is deleted on every path, so a refused upload leaves nothing.
 */
@Service
public class MediaService {

    private static final Logger log = LoggerFactory.getLogger(MediaService.class);

    /** A stored upload, as recorded: what the uploader is told. */
    public record Uploaded(String id, String uploaderId, String type, MediaKind kind, long size, String sha256,
                           Integer width, Integer height, boolean hasThumbnail, Long durationMillis, String name) {
    }

    private final MediaStores stores;
    private final MediaTypeDetector detector;
    private final ImageProcessor images;
    private final AudioVideoProbe audioVideo;
    private final UploadLimiter limiter;
    private final MediaProperties properties;
    private final CommandGateway commands;

    MediaService(MediaStores stores, MediaTypeDetector detector, ImageProcessor images, AudioVideoProbe audioVideo,
                 UploadLimiter limiter, MediaProperties properties, CommandGateway commands) {
        this.stores = stores;
        this.detector = detector;
        this.images = images;
        this.audioVideo = audioVideo;
        this.limiter = limiter;
        this.properties = properties;
        this.commands = commands;
    }

    /** Before the body is read: the count limit, and the quota against a declared length. */
    public void admit(String uploaderId, long declaredLength) {
        UploadLimiter.Permit permit = limiter.tryStart(uploaderId);
        if (!permit.allowed()) {
            long seconds = Math.max(1, (permit.retryAfter().toMillis() + 999) / 1000);
            throw new UploadRejected(UploadRejected.Reason.TOO_MANY, "upload-rate-exceeded",
                    "At most " + properties.rate().uploads() + " uploads per " + properties.rate().per()
                            + "; retry in " + seconds + " s", Duration.ofSeconds(seconds));
        }
        if (limiter.remainingBytes(uploaderId) <= 0) {
            throw quotaExceeded();
        }
        if (declaredLength > properties.limits().largest() + MULTIPART_OVERHEAD) {
            throw new UploadRejected(UploadRejected.Reason.TOO_LARGE, "file-too-large",
                    "No file may exceed " + properties.limits().largest() + " bytes");
        }
    }

    /** Room for the multipart headers and boundaries around the largest allowed file. */
    public static final long MULTIPART_OVERHEAD = 64 * 1024;

    public Uploaded upload(String uploaderId, InputStream body, String claimedName) throws IOException {
        if (claimedName != null && claimedName.indexOf('\0') >= 0) {
            // refused, not silently cleaned: U+0000 in any text input is the client's error (issue 15)
            throw new UploadRejected(UploadRejected.Reason.INVALID, "invalid-file-name", "A file name may not contain U+0000");
        }
        String name = FileNames.sanitize(claimedName);
        BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
        String type = detector.detect(in, name);
        MediaKind kind = properties.types().kindOf(type);
        if (kind == null) {
            throw new UploadRejected(UploadRejected.Reason.TYPE_NOT_ALLOWED, "media-type-not-allowed",
                    "Files of type " + type + " are not accepted (the type is read from the file's bytes)");
        }
        long kindLimit = properties.limits().of(kind);
        long quota = limiter.remainingBytes(uploaderId);
        long limit = Math.min(kindLimit, quota);
        try (StagedBlob staged = stage(in, limit, kind, kindLimit)) {
            if (staged.size() == 0) {
                throw new UploadRejected(UploadRejected.Reason.INVALID, "empty-file", "The file is empty");
            }
            Integer width = null;
            Integer height = null;
            Long duration = null;
            boolean thumbnail = false;
            if (kind == MediaKind.IMAGE) {
                ImageProcessor.Dimensions dimensions = dimensions(staged);
                thumbnail = dimensions != null && thumbnail(staged, dimensions);
                width = dimensions == null ? null : dimensions.width();
                height = dimensions == null ? null : dimensions.height();
            } else if (kind == MediaKind.VIDEO || kind == MediaKind.AUDIO) {
                AudioVideoProbe.Probe probe = audioVideo.probe(staged.file(), type, kind, properties.maxImagePixels());
                kind = probe.kind();
                type = probe.contentType();
                width = probe.width();
                height = probe.height();
                duration = probe.durationMillis();
                if (staged.size() > properties.limits().of(kind)) {
                    // a video container holding only sound is a voice note, and voice notes have their own limit
                    throw new UploadRejected(UploadRejected.Reason.TOO_LARGE, "file-too-large", "A file of kind "
                            + kind.name().toLowerCase() + " may have at most " + properties.limits().of(kind) + " bytes");
                }
                thumbnail = probe.poster() != null && poster(staged, probe);
            }
            stores.blobs().commit(staged, staged.sha256());
            String mediaId = UUID.randomUUID().toString();
            commands.sendAndWait(new UploadMedia(mediaId, uploaderId, staged.sha256(), staged.size(), type, kind,
                    name, width, height, thumbnail, duration));
            limiter.charge(uploaderId, staged.size());
            return new Uploaded(mediaId, uploaderId, type, kind, staged.size(), staged.sha256(), width, height,
                    thumbnail, duration, name);
        }
    }

    private StagedBlob stage(InputStream in, long limit, MediaKind kind, long kindLimit) throws IOException {
        try {
            return stores.blobs().stage(in, limit);
        } catch (BlobTooLargeException e) {
            if (limit < kindLimit) {
                throw quotaExceeded();
            }
            throw new UploadRejected(UploadRejected.Reason.TOO_LARGE, "file-too-large",
                    "A file of kind " + kind.name().toLowerCase() + " may have at most " + kindLimit + " bytes");
        }
    }

    private ImageProcessor.Dimensions dimensions(StagedBlob staged) {
        try {
            return images.dimensions(staged.file());
        } catch (IOException | RuntimeException e) {
            throw new UploadRejected(UploadRejected.Reason.INVALID, "invalid-image",
                    "The file starts like an image but cannot be read as one");
        }
    }

    /** Generated once per distinct image: the thumbnail store is keyed by the image's hash. */
    private boolean thumbnail(StagedBlob staged, ImageProcessor.Dimensions dimensions) {
        if ((long) dimensions.width() * dimensions.height() > properties.maxImagePixels()) {
            return false;
        }
        try {
            if (stores.thumbnails().size(staged.sha256()).isPresent()) {
                return true;
            }
            byte[] jpeg = images.thumbnail(staged.file(), dimensions, properties.thumbnailSize());
            stores.thumbnails().commit(stores.thumbnails().stage(new ByteArrayInputStream(jpeg), jpeg.length),
                    staged.sha256());
            return true;
        } catch (IOException | RuntimeException e) {
            // the header was readable but the pixels are not: keep the file, without a preview
            log.info("No thumbnail for {}: {}", staged.sha256(), e.toString());
            return false;
        }
    }

    /** A video's poster frame as its thumbnail, stored like an image's (keyed by the video's hash). */
    private boolean poster(StagedBlob staged, AudioVideoProbe.Probe probe) {
        try {
            if (stores.thumbnails().size(staged.sha256()).isPresent()) {
                return true;
            }
            byte[] jpeg = images.thumbnail(probe.poster(), properties.thumbnailSize());
            stores.thumbnails().commit(stores.thumbnails().stage(new ByteArrayInputStream(jpeg), jpeg.length),
                    staged.sha256());
            return true;
        } catch (IOException | RuntimeException e) {
            log.info("No poster thumbnail for {}: {}", staged.sha256(), e.toString());
            return false;
        }
    }

    private UploadRejected quotaExceeded() {
        return new UploadRejected(UploadRejected.Reason.TOO_LARGE, "upload-quota-exceeded",
                "This upload would pass your daily quota of " + properties.rate().dailyQuota().toBytes() + " bytes");
    }
}
