package io.parley.command.media;

import io.parley.api.common.CommandRejected;
import io.parley.api.media.MediaCommands.UploadMedia;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One uploaded file. It exists so that an upload is an event in the store like every other state change
 * (auditors and analysts see it, replays rebuild the media views from it); the bytes live in the blob store,
 * addressed by their hash. The aggregate holds nothing after creation: a file, once uploaded, never changes.
 * Its row in {@link MediaFiles} is written with the event, in the same transaction: that row is what other
 * aggregates' handlers ask about the file.
 */
@Aggregate
class Media {

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_NAME = 255;
    static final int MAX_CONTENT_TYPE = 127;

    @AggregateIdentifier
    private String mediaId;

    Media() {
        // required by Axon to rebuild the aggregate from its events
    }

    @CommandHandler
    Media(UploadMedia command, MediaFiles files, Clock clock) {
        if (command.uploaderId() == null || command.uploaderId().isBlank()) {
            throw CommandRejected.invalid("invalid-media", "An upload needs its uploader");
        }
        if (command.sha256() == null || !SHA256.matcher(command.sha256()).matches()) {
            throw CommandRejected.invalid("invalid-media", "sha256 must be 64 lower-case hex digits");
        }
        if (command.size() <= 0) {
            throw CommandRejected.invalid("empty-file", "An empty file cannot be uploaded");
        }
        if (command.kind() == null || command.contentType() == null || command.contentType().isBlank()
                || command.contentType().length() > MAX_CONTENT_TYPE) {
            throw CommandRejected.invalid("invalid-media", "An upload needs its detected kind and content type");
        }
        if (command.originalName() != null && command.originalName().length() > MAX_NAME) {
            throw CommandRejected.invalid("invalid-media", "A file name has at most " + MAX_NAME + " characters");
        }
        boolean visual = command.kind() == MediaKind.IMAGE || command.kind() == MediaKind.VIDEO;
        boolean hasDimensions = command.width() != null || command.height() != null;
        if (hasDimensions && (!visual || command.width() == null
                || command.height() == null || command.width() <= 0 || command.height() <= 0)) {
            throw CommandRejected.invalid("invalid-media",
                    "Only images and videos carry dimensions, and both must be positive");
        }
        if (command.hasThumbnail() && !visual) {
            throw CommandRejected.invalid("invalid-media", "Only images and videos (a poster frame) have thumbnails");
        }
        boolean timed = command.kind() == MediaKind.AUDIO || command.kind() == MediaKind.VIDEO;
        if (command.durationMillis() != null && (!timed || command.durationMillis() < 0)) {
            throw CommandRejected.invalid("invalid-media",
                    "Only audio and video carry a duration, and it cannot be negative");
        }
        MediaUploaded uploaded = new MediaUploaded(command.mediaId(), command.uploaderId(), command.sha256(),
                command.size(), command.contentType(), command.kind(), command.originalName(), command.width(),
                command.height(), command.hasThumbnail(), command.durationMillis(), clock.instant());
        files.record(uploaded);
        apply(uploaded);
    }

    @EventSourcingHandler
    void on(MediaUploaded event) {
        mediaId = event.mediaId();
    }
}
