package io.parley.gateway.media;

import io.parley.api.media.MediaCommands.UploadMedia;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.gateway.web.Problems;
import io.parley.projections.media.MediaProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.UUID;

/**
 * One upload, start to end: limits, type from the bytes, staging while hashing, image dimensions and thumbnail,
 * the blob put in place, {@code MediaUploaded} stored, the metadata view written. Every refusal happens before
 * the blob is committed, and the staged file is deleted on every path, so a refused upload leaves nothing.
 */
@Service
class MediaService {

    private static final Logger log = LoggerFactory.getLogger(MediaService.class);

    record Uploaded(String id, String type, MediaKind kind, long size, String sha256, Integer width, Integer height,
                    boolean hasThumbnail, String name) {
    }

    private final MediaStores stores;
    private final MediaTypeDetector detector;
    private final ImageProcessor images;
    private final UploadLimiter limiter;
    private final MediaProperties properties;
    private final CommandGateway commands;
    private final MediaProjection views;
    private final Clock clock;

    MediaService(MediaStores stores, MediaTypeDetector detector, ImageProcessor images, UploadLimiter limiter,
                 MediaProperties properties, CommandGateway commands, MediaProjection views, Clock clock) {
        this.stores = stores;
        this.detector = detector;
        this.images = images;
        this.limiter = limiter;
        this.properties = properties;
        this.commands = commands;
        this.views = views;
        this.clock = clock;
    }

    /** Before the body is read: the count limit, and the quota against a declared length. */
    void admit(String uploaderId, long declaredLength) {
        UploadLimiter.Permit permit = limiter.tryStart(uploaderId);
        if (!permit.allowed()) {
            long seconds = Math.max(1, (permit.retryAfter().toMillis() + 999) / 1000);
            ErrorResponseException tooMany = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "upload-rate-exceeded",
                    "At most " + properties.rate().uploads() + " uploads per " + properties.rate().per()
                            + "; retry in " + seconds + " s");
            tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            throw tooMany;
        }
        if (limiter.remainingBytes(uploaderId) <= 0) {
            throw quotaExceeded();
        }
        if (declaredLength > properties.limits().largest() + MULTIPART_OVERHEAD) {
            throw Problems.exception(HttpStatus.PAYLOAD_TOO_LARGE, "file-too-large",
                    "No file may exceed " + properties.limits().largest() + " bytes");
        }
    }

    /** Room for the multipart headers and boundaries around the largest allowed file. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    Uploaded upload(String uploaderId, InputStream body, String claimedName) throws IOException {
        String name = FileNames.sanitize(claimedName);
        BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
        String type = detector.detect(in, name);
        MediaKind kind = properties.types().kindOf(type);
        if (kind == null) {
            throw Problems.exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "media-type-not-allowed",
                    "Files of type " + type + " are not accepted (the type is read from the file's bytes)");
        }
        long kindLimit = properties.limits().of(kind);
        long quota = limiter.remainingBytes(uploaderId);
        long limit = Math.min(kindLimit, quota);
        try (StagedBlob staged = stage(in, limit, kind, kindLimit)) {
            if (staged.size() == 0) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "empty-file", "The file is empty");
            }
            ImageProcessor.Dimensions dimensions = null;
            boolean thumbnail = false;
            if (kind == MediaKind.IMAGE) {
                dimensions = dimensions(staged);
                thumbnail = dimensions != null && thumbnail(staged, dimensions);
            }
            stores.blobs().commit(staged, staged.sha256());
            String mediaId = UUID.randomUUID().toString();
            Integer width = dimensions == null ? null : dimensions.width();
            Integer height = dimensions == null ? null : dimensions.height();
            commands.sendAndWait(new UploadMedia(mediaId, uploaderId, staged.sha256(), staged.size(), type, kind,
                    name, width, height, thumbnail));
            // read-your-writes: the uploader may send or fetch the file before the media-access processor ran
            views.recordUpload(new MediaUploaded(mediaId, uploaderId, staged.sha256(), staged.size(), type, kind,
                    name, width, height, thumbnail, clock.instant()));
            limiter.charge(uploaderId, staged.size());
            return new Uploaded(mediaId, type, kind, staged.size(), staged.sha256(), width, height, thumbnail, name);
        }
    }

    private StagedBlob stage(InputStream in, long limit, MediaKind kind, long kindLimit) throws IOException {
        try {
            return stores.blobs().stage(in, limit);
        } catch (BlobTooLargeException e) {
            if (limit < kindLimit) {
                throw quotaExceeded();
            }
            throw Problems.exception(HttpStatus.PAYLOAD_TOO_LARGE, "file-too-large",
                    "A file of kind " + kind.name().toLowerCase() + " may have at most " + kindLimit + " bytes");
        }
    }

    private ImageProcessor.Dimensions dimensions(StagedBlob staged) {
        try {
            return images.dimensions(staged.file());
        } catch (IOException | RuntimeException e) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-image",
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

    private ErrorResponseException quotaExceeded() {
        return Problems.exception(HttpStatus.PAYLOAD_TOO_LARGE, "upload-quota-exceeded",
                "This upload would pass your daily quota of " + properties.rate().dailyQuota().toBytes() + " bytes");
    }
}
