package io.parley.command.media.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every blob store driver must have; one subclass per driver. */
abstract class BlobStoreContract {

    @TempDir
    Path temp;

    /** A fresh, empty store staging under {@code staging}. */
    abstract BlobStore store(Path staging) throws IOException;

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    long stagedFiles() throws IOException {
        Path staging = temp.resolve("staging");
        if (!Files.exists(staging)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(staging)) {
            return files.count();
        }
    }

    @Test
    void storesContentUnderItsHashOnceAndReadsItBack() throws Exception {
        BlobStore store = store(temp.resolve("staging"));
        byte[] bytes = random(3 * 1024 * 1024 + 17, 1);
        BlobStore.StoredBlob first = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
        BlobStore.StoredBlob second = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);

        assertThat(first.sha256()).isEqualTo(sha256(bytes));
        assertThat(first.size()).isEqualTo(bytes.length);
        assertThat(first.created()).isTrue();
        assertThat(second).isEqualTo(new BlobStore.StoredBlob(first.sha256(), bytes.length, false));
        assertThat(store.size(first.sha256())).hasValue(bytes.length);
        try (InputStream in = store.open(first.sha256(), 0)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void readsFromAnOffsetAcrossChunkBoundaries() throws Exception {
        BlobStore store = store(temp.resolve("staging"));
        byte[] bytes = random(2 * 1024 * 1024 + 5, 2);
        String key = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE).sha256();
        for (long offset : new long[]{0, 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 3, bytes.length - 1}) {
            try (InputStream in = store.open(key, offset)) {
                byte[] tail = in.readAllBytes();
                assertThat(tail).hasSize(bytes.length - (int) offset);
                assertThat(tail[0]).isEqualTo(bytes[(int) offset]);
                assertThat(tail[tail.length - 1]).isEqualTo(bytes[bytes.length - 1]);
            }
        }
    }

    @Test
    void contentOverTheLimitIsRefusedAndLeavesNothingBehind() throws Exception {
        BlobStore store = store(temp.resolve("staging"));
        byte[] bytes = random(100_001, 3);
        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(bytes), 100_000))
                .isInstanceOf(BlobTooLargeException.class);
        assertThat(stagedFiles()).isZero();
        assertThat(store.size(sha256(bytes))).isEmpty();
    }

    @Test
    void stagedContentDroppedWithoutCommitIsGone() throws Exception {
        BlobStore store = store(temp.resolve("staging"));
        byte[] bytes = random(5000, 4);
        try (StagedBlob staged = store.stage(new ByteArrayInputStream(bytes), 10_000)) {
            assertThat(staged.sha256()).isEqualTo(sha256(bytes));
            assertThat(staged.size()).isEqualTo(5000);
            assertThat(stagedFiles()).isEqualTo(1);
        }
        assertThat(stagedFiles()).isZero();
        assertThat(store.size(sha256(bytes))).isEmpty();
    }

    @Test
    void derivedContentIsStoredUnderTheGivenKeyOnce() throws Exception {
        BlobStore store = store(temp.resolve("staging"));
        String key = sha256("the original".getBytes());
        assertThat(store.commit(store.stage(new ByteArrayInputStream("thumb-1".getBytes()), 100), key)).isTrue();
        assertThat(store.commit(store.stage(new ByteArrayInputStream("thumb-2".getBytes()), 100), key)).isFalse();
        try (InputStream in = store.open(key, 0)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("thumb-1");
        }
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void deletesAndRefusesMalformedKeys() throws Exception {
        BlobStore store = store(temp.resolve("staging"));
        String key = store.put(new ByteArrayInputStream("x".getBytes()), 10).sha256();
        assertThat(store.delete(key)).isTrue();
        assertThat(store.delete(key)).isFalse();
        assertThat(store.size(key)).isEmpty();
        assertThatThrownBy(() -> store.size("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open("ABC", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
