package io.parley.command.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.api.media.MediaRef;
import io.parley.command.conversation.MediaOwnership;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The Conversation aggregate's check that a media message carries a file its sender uploaded, answered from
 * {@link MediaFiles} (write-side state, committed with the upload's event, so a client may send the file the
 * moment its upload returned). The returned reference is the recorded one (detected type, size, dimensions),
 * never what the client claimed. Rows never change once written, so found files are kept in memory; a miss is
 * not, since the upload may commit a moment later.
 */
@Component
class MediaFileOwnership implements MediaOwnership {

    private final MediaFiles files;
    private final Cache<String, MediaFiles.MediaFile> found = Caffeine.newBuilder().maximumSize(100_000).build();

    MediaFileOwnership(MediaFiles files) {
        this.files = files;
    }

    @Override
    public Optional<MediaRef> resolveOwned(MediaRef requested, String accountId) {
        if (requested == null || accountId == null) {
            return Optional.empty();
        }
        return file(requested.mediaId()).filter(file -> accountId.equals(file.uploaderId()))
                .map(MediaFiles.MediaFile::toRef);
    }

    @Override
    public Optional<MediaRef> resolveRecorded(String mediaId) {
        return file(mediaId).map(MediaFiles.MediaFile::toRef);
    }

    private Optional<MediaFiles.MediaFile> file(String mediaId) {
        if (mediaId == null) {
            return Optional.empty();
        }
        MediaFiles.MediaFile file = found.getIfPresent(mediaId);
        if (file == null) {
            file = files.find(mediaId).orElse(null);
            if (file == null) {
                return Optional.empty();
            }
            found.put(file.mediaId(), file);
        }
        return Optional.of(file);
    }
}
