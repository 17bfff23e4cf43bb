package io.parley.command.media.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The {@code local} driver: {@code <root>/ab/cd/<key>}, two levels of fan-out so no directory grows past 65,536
 * entries. Content is staged in {@code <root>/.staging} (same file system, so the final step is an atomic
 * rename) and forced to disk first: a crash leaves at most a temporary file, never a partial file under a real
 * name. Temporary files a crash left behind are swept at start-up.
 */
public final class LocalBlobStore implements BlobStore {

    private static final Logger log = LoggerFactory.getLogger(LocalBlobStore.class);
    /** Older staged files cannot belong to an upload still running: no upload takes an hour on a live node. */
    private static final Duration STALE = Duration.ofHours(1);

    private final Path root;
    private final Path staging;

    public LocalBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(".staging");
        Files.createDirectories(staging);
        sweepStaging();
    }

    @Override
    public String driver() {
        return "local";
    }

    Path root() {
        return root;
    }

    Path staging() {
        return staging;
    }

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) throws IOException {
        return StagedBlob.write(staging, content, maxBytes);
    }

    @Override
    public boolean commit(StagedBlob staged, String key) throws IOException {
        Path target = path(key);
        try (staged) {
            if (Files.exists(target)) {
                return false;
            }
            Files.createDirectories(target.getParent());
            // rename(2) replaces a file that a racing upload of the same key put there meanwhile: same key, same
            // bytes, so that is harmless, and readers always see one complete file or the other
            Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
            return true;
        }
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        try {
            return OptionalLong.of(Files.size(path(key)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        FileChannel channel = FileChannel.open(path(key), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(path(key));
    }

    Path path(String key) {
        BlobStore.requireKey(key);
        return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
    }

    /** Makes the rename itself durable: without it a power cut may forget the new directory entry. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems refuse to open directories; the rename is still atomic, only not yet durable
            log.debug("Could not force directory {}: {}", directory, e.toString());
        }
    }

    private void sweepStaging() throws IOException {
        Instant cutoff = Instant.now().minus(STALE);
        try (Stream<Path> files = Files.list(staging)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                FileTime modified = Files.getLastModifiedTime(file);
                if (modified.toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                    log.info("Removed a temporary upload left by an earlier run: {}", file);
                }
            }
        }
    }
}
