package io.parley.command.media;

import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;

import java.util.Optional;

/**
 * The write side's record of every uploaded file, next to the event store: one immutable row per media id,
 * written by the upload's command handler in the transaction that stores {@code MediaUploaded}, so a file is
 * on record if and only if its event is. Command handlers of other aggregates (a message carrying a file)
 * decide from it, never from a read model.
 */
public interface MediaFiles {

    void record(MediaUploaded upload);

    Optional<MediaFile> find(String mediaId);

    /** A file as recorded at upload: who uploaded it and what the server detected. */
    record MediaFile(String mediaId, String uploaderId, String sha256, long size, String contentType,
                     MediaKind kind, String originalName, Integer width, Integer height,
                     boolean hasThumbnail, Long durationMillis) {

        static MediaFile of(MediaUploaded upload) {
            return new MediaFile(upload.mediaId(), upload.uploaderId(), upload.sha256(), upload.size(),
                    upload.contentType(), upload.kind(), upload.originalName(), upload.width(), upload.height(),
                    upload.hasThumbnail(), upload.durationMillis());
        }

        public MediaRef toRef() {
            return new MediaRef(mediaId, kind, contentType, size, width, height, originalName, hasThumbnail,
                    durationMillis);
        }
    }
}
