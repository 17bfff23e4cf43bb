package io.parley.gateway.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the native children of the embedded stack (PostgreSQL, Elasticsearch): unpacks a distribution once,
 * drops root privileges to an unprivileged system user through {@code setpriv}, starts the child with its
 * output in a log file, waits (bounded) for it to become ready, finds and stops orphans of a previous run
 * through pid files, and stops children with a graceful signal, then {@code SIGKILL} after a timeout.
 * <p>
 * Linux only (uses {@code /proc}, {@code kill}, {@code setpriv}, {@code useradd}, {@code chown}).
 */
public final class ChildProcessLauncher {

    private static final Logger log = LoggerFactory.getLogger(ChildProcessLauncher.class);

    /** The system user the children run as when the JVM runs as root. */
    public static final String DEFAULT_USER = "parley";

    private static final String UNPACKED_MARKER = ".parley-unpacked";

    private final String user;
    private volatile Identity identity;

    public ChildProcessLauncher() {
        this(DEFAULT_USER);
    }

    public ChildProcessLauncher(String user) {
        this.user = user;
    }

    /** uid/gid the children run as; {@code null} when the JVM does not run as root (children run as ourselves). */
    public record Identity(String user, int uid, int gid) {
    }

    /** Signals understood by {@link #signal(long, Signal)}. */
    public enum Signal {
        INT, TERM, KILL
    }

    // ------------------------------------------------------------------ privileges

    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name")) || currentUid() == 0;
    }

    private static int currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i ? i : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * When running as root: the unprivileged identity the children run as, creating the system user once.
     * Otherwise {@code null}.
     */
    public synchronized Identity identity() {
        if (!runningAsRoot()) {
            return null;
        }
        if (identity == null) {
            Optional<Integer> uid = idOf("-u");
            if (uid.isEmpty()) {
                log.info("Creating system user '{}' to run the embedded PostgreSQL and Elasticsearch (they refuse to run as root)", user);
                ExecResult r = exec(Duration.ofSeconds(30), "useradd", "--system", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", user);
                // exit code 9 = the user exists (created concurrently)
                if (r.exitCode() != 0 && r.exitCode() != 9) {
                    throw new EmbeddedStackException("Could not create the system user '" + user
                            + "' (useradd exit " + r.exitCode() + "): " + r.output().strip());
                }
                uid = idOf("-u");
            }
            int gid = idOf("-g").orElseThrow(() -> new EmbeddedStackException("No group for user " + user));
            identity = new Identity(user, uid.orElseThrow(() -> new EmbeddedStackException("User " + user + " missing")), gid);
            if (!Files.isExecutable(Path.of("/usr/bin/setpriv")) && !Files.isExecutable(Path.of("/bin/setpriv"))) {
                throw new EmbeddedStackException("Running as root but 'setpriv' (util-linux) is not installed: "
                        + "cannot drop privileges for the embedded PostgreSQL/Elasticsearch");
            }
        }
        return identity;
    }

    private Optional<Integer> idOf(String flag) {
        ExecResult r = exec(Duration.ofSeconds(10), "id", flag, user);
        if (r.exitCode() != 0) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(r.output().strip()));
    }

    /** {@code chown -R} the given trees to the child identity (no-op when not root). */
    public void ownTrees(Path... trees) {
        Identity id = identity();
        if (id == null) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("chown", "-R", id.uid() + ":" + id.gid()));
        for (Path tree : trees) {
            cmd.add(tree.toAbsolutePath().toString());
        }
        ExecResult r = exec(Duration.ofSeconds(120), cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new EmbeddedStackException("chown failed (" + r.exitCode() + "): " + r.output().strip());
        }
        for (Path tree : trees) {
            checkTraversable(tree.toAbsolutePath().normalize().getParent());
        }
    }

    /** Every ancestor must be searchable by "others", or the unprivileged child cannot reach its files. */
    private void checkTraversable(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new EmbeddedStackException("Directory " + p + " is not accessible to the unprivileged user '"
                            + user + "' that runs the embedded servers (mode lacks o+x): choose a chat.data-dir "
                            + "outside it or chmod o+x " + p);
                }
            } catch (IOException e) {
                throw new EmbeddedStackException("Cannot read permissions of " + p + ": " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------ directories and ports

    /** Creates the directory, with a clear message when that fails or it is not writable. */
    public static Path ensureWritableDirectory(Path dir, String what) {
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

    /** A free loopback port when {@code configured == 0}; otherwise checks the configured port is free. */
    public static int choosePort(int configured, String property) {
        if (configured == 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return s.getLocalPort();
            } catch (IOException e) {
                throw new EmbeddedStackException("Cannot find a free loopback port: " + e, e);
            }
        }
        if (!isPortFree(configured)) {
            throw new EmbeddedStackException("Port " + configured + " (" + property + ") on 127.0.0.1 is already in use");
        }
        return configured;
    }

    public static boolean isPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ unpacking

    /** True when {@code target} holds a completely unpacked distribution. */
    public static boolean isUnpacked(Path target) {
        return Files.exists(target.resolve(UNPACKED_MARKER));
    }

    /** Unpacks a {@code .txz} classpath resource into {@code target} (once), keeping modes and links. */
    public static void unpackTxzResourceOnce(String resource, Path target) {
        if (isUnpacked(target)) {
            return;
        }
        unpackAtomically(target, tmp -> {
            InputStream raw = ChildProcessLauncher.class.getClassLoader().getResourceAsStream(resource);
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
    public static void unpackZipOnce(Path zip, Path target) {
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

    private interface Unpacker {
        void unpackInto(Path tmp) throws IOException;
    }

    private static void unpackAtomically(Path target, Unpacker unpacker) {
        long t0 = System.nanoTime();
        Path tmp = target.resolveSibling(target.getFileName() + ".unpacking");
        try {
            deleteTree(tmp);
            deleteTree(target);
            Files.createDirectories(tmp);
            unpacker.unpackInto(tmp);
            Files.writeString(tmp.resolve(UNPACKED_MARKER), "ok\n");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EmbeddedStackException("Could not unpack into " + target.toAbsolutePath() + ": " + e, e);
        }
        log.info("Unpacked {} in {}", target, seconds(System.nanoTime() - t0));
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

    // ------------------------------------------------------------------ starting

    /**
     * What to start: the command (without the privilege drop), extra environment (a {@code null} value removes
     * the variable), working directory, the log file that receives stdout and stderr, and an optional pid file
     * written with the launched process's pid.
     */
    public record Spec(String name, List<String> command, Map<String, String> environment, Path workingDirectory,
                       Path logFile, Path pidFile) {
    }

    /** Starts the child (dropping privileges when root), output appended to {@code spec.logFile()}. */
    public Child start(Spec spec) {
        List<String> cmd = new ArrayList<>();
        Identity id = identity();
        if (id != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + id.uid(), "--regid=" + id.gid(), "--clear-groups"));
        }
        cmd.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(spec.workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        Map<String, String> env = pb.environment();
        spec.environment().forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        try {
            Files.createDirectories(spec.logFile().getParent());
            Files.writeString(spec.logFile(), "---- " + java.time.Instant.now() + " starting " + String.join(" ", cmd) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = pb.start();
            if (spec.pidFile() != null) {
                Files.writeString(spec.pidFile(), p.pid() + "\n");
            }
            return new Child(spec, p);
        } catch (IOException e) {
            throw new EmbeddedStackException("Could not start " + spec.name() + " (" + String.join(" ", cmd) + "): " + e, e);
        }
    }

    /** Runs a short command as the child identity (e.g. {@code initdb}), bounded, output to the log file. */
    public void runToCompletion(Spec spec, Duration timeout) {
        Child c = start(spec);
        try {
            if (!c.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                c.stop(Signal.KILL, Duration.ofSeconds(5));
                throw new EmbeddedStackException(spec.name() + " did not finish within " + timeout
                        + "; last lines of " + spec.logFile() + ":\n" + tail(spec.logFile(), 30));
            }
            if (c.process().exitValue() != 0) {
                throw new EmbeddedStackException(spec.name() + " failed with exit code " + c.process().exitValue()
                        + "; last lines of " + spec.logFile() + ":\n" + tail(spec.logFile(), 30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.stop(Signal.KILL, Duration.ofSeconds(5));
            throw new EmbeddedStackException(spec.name() + " interrupted", e);
        } finally {
            if (spec.pidFile() != null) {
                try {
                    Files.deleteIfExists(spec.pidFile());
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** A started child. */
    public static final class Child {
        private final Spec spec;
        private final Process process;

        Child(Spec spec, Process process) {
            this.spec = spec;
            this.process = process;
        }

        public Process process() {
            return process;
        }

        public long pid() {
            return process.pid();
        }

        public Spec spec() {
            return spec;
        }

        /**
         * Waits until {@code ready} answers true, bounded by {@code timeout}; fails fast (with the log tail)
         * when the child exits first (unless {@code exitIsOk} and it exited 0, e.g. a daemonizing launcher).
         */
        public void awaitReady(BooleanSupplier ready, Duration timeout, boolean zeroExitIsOk) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (ready.getAsBoolean()) {
                    return;
                }
                if (!process.isAlive() && !(zeroExitIsOk && process.exitValue() == 0)) {
                    throw new EmbeddedStackException(spec.name() + " exited with code " + process.exitValue()
                            + " while starting; last lines of " + spec.logFile() + ":\n" + tail(spec.logFile(), 40));
                }
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedStackException(spec.name() + " did not become ready within " + timeout.toSeconds()
                            + " s; last lines of " + spec.logFile() + ":\n" + tail(spec.logFile(), 40));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedStackException("Interrupted while waiting for " + spec.name(), e);
                }
            }
        }

        /** Graceful stop of the process tree: {@code signal}, wait up to {@code timeout}, then SIGKILL. */
        public void stop(Signal signal, Duration timeout) {
            stopTree(process.pid(), signal, timeout, spec.name());
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (spec.pidFile() != null) {
                try {
                    Files.deleteIfExists(spec.pidFile());
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    // ------------------------------------------------------------------ pids, signals, orphans

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

    public static void signal(long pid, Signal signal) {
        if (signal == Signal.TERM) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } else if (signal == Signal.KILL) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } else {
            exec(Duration.ofSeconds(5), "kill", "-" + signal.name(), Long.toString(pid));
        }
    }

    /**
     * If the pid file names a live process whose command line contains {@code marker}, stops it (with its
     * descendants) and returns true. A stale pid file (dead process or pid reused by something else) is left
     * to the caller. Our choice for orphans is to stop them, not to reuse them: the port and settings of a
     * new start may differ, and a clean restart is fast.
     */
    public static boolean stopOrphan(Path pidFile, String marker, Signal signal, Duration timeout, String name) {
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty() || pid.get() == ProcessHandle.current().pid() || !isAlive(pid.get())) {
            return false;
        }
        String cmdline = commandLine(pid.get());
        if (!cmdline.contains(marker)) {
            log.info("Pid file {} names pid {} which is not our {} ({}); ignoring it", pidFile, pid.get(), name, cmdline);
            return false;
        }
        log.warn("Found an orphaned {} (pid {}) from a previous run (pid file {}): stopping it", name, pid.get(), pidFile);
        stopTree(pid.get(), signal, timeout, name);
        return true;
    }

    /** Sends {@code signal} to {@code pid}; waits for it and its descendants; SIGKILLs whatever is left. */
    public static void stopTree(long pid, Signal signal, Duration timeout, String name) {
        List<Long> tree = new ArrayList<>();
        tree.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        if (tree.stream().noneMatch(ChildProcessLauncher::isAlive)) {
            return;
        }
        long t0 = System.nanoTime();
        signal(pid, signal);
        if (!waitAllDead(tree, timeout)) {
            log.warn("{} (pid {}) did not stop within {} s after SIG{}: sending SIGKILL", name, pid,
                    timeout.toSeconds(), signal);
            for (long p : tree) {
                if (isAlive(p)) {
                    signal(p, Signal.KILL);
                }
            }
            if (!waitAllDead(tree, Duration.ofSeconds(10))) {
                log.error("{} (pid {}) survived SIGKILL", name, pid);
                return;
            }
        }
        log.info("{} (pid {}) stopped in {}", name, pid, seconds(System.nanoTime() - t0));
    }

    private static boolean waitAllDead(List<Long> pids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pids.stream().anyMatch(ChildProcessLauncher::isAlive)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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

    // ------------------------------------------------------------------ helpers

    public record ExecResult(int exitCode, String output) {
    }

    /** Runs a short command as ourselves, bounded. */
    public static ExecResult exec(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new ExecResult(-1, "timed out: " + String.join(" ", command));
            }
            return new ExecResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new ExecResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "interrupted");
        }
    }

    /** The last {@code lines} lines of a (log) file. */
    public static String tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - 64 * 1024);
            f.seek(from);
            byte[] buf = new byte[(int) (len - from)];
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
            int start = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.copyOfRange(all, start, all.length));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static void createIfMissing(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException ignored) {
            // a file, reported by the caller
        } catch (IOException e) {
            throw new EmbeddedStackException("Cannot create " + dir.toAbsolutePath() + ": " + e, e);
        }
    }
}
