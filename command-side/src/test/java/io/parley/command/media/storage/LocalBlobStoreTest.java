package io.parley.command.media.storage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBlobStoreTest extends BlobStoreContract {

    @Override
    BlobStore store(Path staging) throws IOException {
        // the local driver stages inside its own tree so the final rename is atomic; expose it where the
        // contract looks for staged files
        Path root = temp.resolve("blobs");
        LocalBlobStore store = new LocalBlobStore(root);
        Files.deleteIfExists(staging);
        Files.createSymbolicLink(staging, store.staging());
        return store;
    }

    @Test
    void laysFilesOutUnderTwoLevelsOfHashPrefix() throws Exception {
        LocalBlobStore store = (LocalBlobStore) store(temp.resolve("staging"));
        String key = store.put(new ByteArrayInputStream("hello".getBytes()), 10).sha256();
        assertThat(store.root().resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key))
                .exists().hasContent("hello");
    }

    @Test
    void sweepsTemporaryFilesACrashLeftBehind() throws Exception {
        Path root = temp.resolve("crashed");
        Path old = Files.createDirectories(root.resolve(".staging")).resolve("upload-1.part");
        Files.writeString(old, "half a file");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        Path recent = root.resolve(".staging").resolve("upload-2.part");
        Files.writeString(recent, "an upload in flight");
        new LocalBlobStore(root);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
    }
}
