package io.parley.embedded.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

import io.parley.embedded.Directories;
import io.parley.embedded.Elapsed;
import io.parley.embedded.EmbeddedStackException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks a server distribution once: the zonky PostgreSQL {@code .txz} (a classpath resource) or the
 * Elasticsearch zip, keeping unix modes and links. The archive is unpacked beside the target and moved into
 * place atomically with a marker file, so an interrupted unpack is redone instead of half used.
 */
public final class Unpacker {

    private static final Logger log = LoggerFactory.getLogger(Unpacker.class);

    private static final String UNPACKED_MARKER = ".parley-unpacked";

    private Unpacker() {
    }

    /** True when {@code target} holds a completely unpacked distribution. */
    public static boolean isUnpacked(Path target) {
        return Files.exists(target.resolve(UNPACKED_MARKER));
    }

    /** Unpacks a {@code .txz} classpath resource into {@code target} (once), keeping modes and links. */
    public static void txzResourceOnce(String resource, Path target) {
        if (isUnpacked(target)) {
            return;
        }
        unpackAtomically(target, tmp -> {
            InputStream raw = Unpacker.class.getClassLoader().getResourceAsStream(resource);
            if (raw == null) {
                throw new EmbeddedStackException("Classpath resource " + resource + " not found (missing dependency?)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(raw, 1 << 16)))) {
                TarArchiveEntry e;
                List<TarArchiveEntry> hardLinks = new ArrayList<>();
                while ((e = tar.getNextEntry()) != null) {
                    Path out = safeResolve(tmp, e.getName());
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.deleteIfExists(out);
                        Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                    } else if (e.isLink()) {
                        hardLinks.add(e);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        setMode(out, e.getMode());
                    }
                }
                for (TarArchiveEntry link : hardLinks) {
                    Path out = safeResolve(tmp, link.getName());
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createLink(out, safeResolve(tmp, link.getLinkName()));
                }
            }
        });
    }

    /** Unpacks a zip into {@code target} (once), dropping its single top-level directory, keeping unix modes. */
    public static void zipOnce(Path zip, Path target) {
        if (isUnpacked(target)) {
            return;
        }
        if (!Files.isRegularFile(zip)) {
            throw new EmbeddedStackException("Distribution " + zip.toAbsolutePath() + " not found");
        }
        unpackAtomically(target, tmp -> {
            try (ZipFile zf = ZipFile.builder().setPath(zip).get()) {
                String prefix = commonTopDirectory(zf);
                Enumeration<ZipArchiveEntry> entries = zf.getEntriesInPhysicalOrder();
                while (entries.hasMoreElements()) {
                    ZipArchiveEntry e = entries.nextElement();
                    String name = e.getName().substring(prefix.length());
                    if (name.isEmpty()) {
                        continue;
                    }
                    Path out = safeResolve(tmp, name);
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (e.isUnixSymlink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(zf.getUnixSymlink(e)));
                    } else {
                        Files.createDirectories(out.getParent());
                        try (InputStream in = zf.getInputStream(e)) {
                            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                        }
                        int mode = e.getUnixMode();
                        if (mode != 0) {
                            setMode(out, mode);
                        }
                    }
                }
            }
        });
    }

    private static String commonTopDirectory(ZipFile zf) {
        String top = null;
        Enumeration<ZipArchiveEntry> entries = zf.getEntries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            String first = slash < 0 ? null : name.substring(0, slash + 1);
            if (first == null || (top != null && !top.equals(first))) {
                return "";
            }
            top = first;
        }
        return top == null ? "" : top;
    }

    private interface Extraction {
        void into(Path tmp) throws IOException;
    }

    private static void unpackAtomically(Path target, Extraction extraction) {
        long t0 = System.nanoTime();
        Path tmp = target.resolveSibling(target.getFileName() + ".unpacking");
        try {
            Directories.deleteTree(tmp);
            Directories.deleteTree(target);
            Files.createDirectories(tmp);
            extraction.into(tmp);
            Files.writeString(tmp.resolve(UNPACKED_MARKER), "ok\n");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EmbeddedStackException("Could not unpack into " + target.toAbsolutePath() + ": " + e, e);
        }
        log.info("Unpacked {} in {}", target, Elapsed.since(t0));
    }

    private static Path safeResolve(Path root, String name) throws IOException {
        Path out = root.resolve(name).normalize();
        if (!out.startsWith(root)) {
            throw new IOException("Archive entry escapes the target: " + name);
        }
        return out;
    }

    private static void setMode(Path file, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(order[i]);
            }
        }
        perms.add(PosixFilePermission.OWNER_READ);
        Files.setPosixFilePermissions(file, perms);
    }
}
