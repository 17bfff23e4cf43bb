package io.parley.embedded.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What {@code /proc} and pid files say about a process: alive or not, its command line, its resident memory. */
public final class LinuxProcesses {

    private LinuxProcesses() {
    }

    /** The pid on the first line of a pid file, if the file exists and parses. */
    public static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when the process exists and is not a zombie. */
    public static boolean isAlive(long pid) {
        try (RandomAccessFile f = new RandomAccessFile("/proc/" + pid + "/stat", "r")) {
            String stat = f.readLine();
            if (stat == null) {
                return false;
            }
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The command line of a live process (NUL separators replaced by spaces), or empty. */
    public static String commandLine(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Live processes whose working directory is {@code dir} (read from {@code /proc/<pid>/cwd}). */
    public static List<Long> workingIn(Path dir) {
        Path target;
        try {
            target = dir.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        List<Long> found = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        try {
                            if (Files.readSymbolicLink(Path.of("/proc", n, "cwd")).equals(target)
                                    && isAlive(Long.parseLong(n))) {
                                found.add(Long.parseLong(n));
                            }
                        } catch (IOException | UnsupportedOperationException | SecurityException e) {
                            // gone meanwhile, or not ours to look at
                        }
                    });
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return found;
    }

    /** Resident set size of a process in kB (VmRSS), or -1. */
    public static long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }
}
