package io.parley.embedded;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The directories the embedded servers keep under {@code chat.data-dir}: created with clear messages, removed whole. */
public final class Directories {

    private Directories() {
    }

    /** Creates the directory, with a clear message when that fails or it is not writable. */
    public static Path ensureWritable(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EmbeddedStackException("Cannot create the " + what + " directory " + dir.toAbsolutePath()
                    + ": " + e, e);
        }
        Path probe = dir.resolve(".write-probe");
        try {
            Files.writeString(probe, "x");
            Files.delete(probe);
        } catch (IOException e) {
            throw new EmbeddedStackException("The " + what + " directory " + dir.toAbsolutePath()
                    + " is not writable: " + e, e);
        }
        return dir;
    }

    /** Creates the directory if missing; an existing plain file in its place is left for the caller to report. */
    public static void createIfMissing(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException ignored) {
            // a file, reported by the caller
        } catch (IOException e) {
            throw new EmbeddedStackException("Cannot create " + dir.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Deletes a tree (without following links); nothing to do when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
