package io.parley.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temp directories under target/ (the unprivileged child user must be able to reach them). */
public final class TestDirs {

    private TestDirs() {
    }

    public static Path create(String prefix) throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path root = target.resolve("it-data");
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, prefix);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    public static void report(String line) {
        System.out.println("[MEASURE] " + line);
        try {
            Files.writeString(Path.of("target", "it-measurements.txt"), line + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
