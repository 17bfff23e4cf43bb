package io.parley.command.media.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content copied into a temporary file, with its SHA-256 and size. Closing it deletes the file if it was not
 * committed, so a try-with-resources around the whole upload leaves no temporary file on any failure path.
 */
public final class StagedBlob implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final String sha256;
    private final long size;

    private StagedBlob(Path file, String sha256, long size) {
        this.file = file;
        this.sha256 = sha256;
        this.size = size;
    }

    /**
     * Copies {@code content} into a new file in {@code directory}, hashing while copying (the bytes pass once,
     * and never all sit in memory), and forces it to disk so a later rename publishes complete content only.
     */
    static StagedBlob write(Path directory, InputStream content, long maxBytes) throws IOException {
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, "upload-", ".part");
        MessageDigest digest = newDigest();
        long size = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = content.read(buffer)) > 0) {
                size += n;
                if (size > maxBytes) {
                    throw new BlobTooLargeException(maxBytes);
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new StagedBlob(file, HexFormat.of().formatHex(digest.digest()), size);
    }

    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    public long size() {
        return size;
    }

    /** Deletes the temporary file unless a commit already moved it away. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
