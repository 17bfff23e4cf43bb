package io.parley.embedded.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.parley.embedded.Directories;
import io.parley.embedded.Elapsed;
import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.archive.Unpacker;
import io.parley.embedded.process.Child;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.embedded.process.ChildSpec;
import io.parley.embedded.process.LinuxProcesses;
import io.parley.embedded.process.LogTail;
import io.parley.embedded.process.ProcessTree;
import io.parley.embedded.process.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Elasticsearch node from the integ-test zip, run as a child process on the current JVM
 * ({@code ES_JAVA_HOME = java.home}): unpacked into {@code <base>/dist} once, data in {@code <base>/data}
 * (reused on the next start), logs in {@code <base>/logs}. The node is started daemonized ({@code -d}): the
 * ES launcher JVM exits once the node is up (saving ~100 MB resident), and the node is tracked through the pid
 * file it writes ({@code <base>/elasticsearch.pid}), which also finds an orphan of a previous run.
 * Stop = SIGTERM, SIGKILL after the stop timeout.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedElasticsearch.class);
    public static final String VERSION = "8.19.8";

    private final Path base;
    private final int httpPort;
    private final int transportPort;
    private final String heap;
    private final Path distributionZip;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final ChildProcessLauncher launcher;
    private volatile Child cli;
    private volatile long serverPid = -1;
    private volatile boolean stopRequested;

    public EmbeddedElasticsearch(Path base, int httpPort, int transportPort, String heap, Path distributionZip,
                                 Duration startTimeout, Duration stopTimeout, ChildProcessLauncher launcher) {
        this.base = base.toAbsolutePath().normalize();
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.heap = heap;
        this.distributionZip = distributionZip;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.launcher = launcher;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Pid of the node (not of its launcher), or -1. */
    public long pid() {
        return serverPid;
    }

    /** The node's own log ({@code <base>/logs/parley.log}, after the cluster name). */
    public Path logFile() {
        return base.resolve("logs").resolve("parley.log");
    }

    private Path home() {
        return base.resolve("dist");
    }

    private Path serverPidFile() {
        return base.resolve("elasticsearch.pid");
    }

    private Path launcherPidFile() {
        return base.resolve("launcher.pid");
    }

    /** Starts the node (blocking until {@code /_cluster/health} answers green or yellow). */
    public synchronized EmbeddedElasticsearch start() {
        if (serverPid > 0 && LinuxProcesses.isAlive(serverPid)) {
            return this;
        }
        stopRequested = false;
        // a restart after a crash: forget the dead node, so that a stop meanwhile finds the new one by its pid file
        serverPid = -1;
        long t0 = System.nanoTime();
        Directories.ensureWritable(base, "Elasticsearch data");
        String marker = home().toString();
        ProcessTree.stopOrphan(launcherPidFile(), marker, Signal.TERM, stopTimeout,
                "Elasticsearch launcher");
        ProcessTree.stopOrphan(serverPidFile(), marker, Signal.TERM, stopTimeout,
                "Elasticsearch");
        deleteQuietly(serverPidFile());
        Unpacker.zipOnce(distributionZip, home());
        Path data = base.resolve("data");
        Path logs = base.resolve("logs");
        Path tmp = base.resolve("tmp");
        for (Path d : List.of(data, logs, tmp)) {
            Directories.createIfMissing(d);
        }
        writeJvmOptions(logs);
        launcher.ownTrees(base);
        for (int p : new int[] {httpPort, transportPort}) {
            if (!LoopbackPorts.isFree(p)) {
                throw new EmbeddedStackException("Port " + p + " on 127.0.0.1 (Elasticsearch "
                        + (p == httpPort ? "HTTP, chat.search.port" : "transport") + ") is already in use");
            }
        }

        List<String> cmd = new ArrayList<>(List.of(home().resolve("bin/elasticsearch").toString(),
                "-d", "-p", serverPidFile().toString()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("discovery.type", "single-node");
        settings.put("xpack.security.enabled", "false");
        settings.put("xpack.ml.enabled", "false");
        settings.put("network.host", "127.0.0.1");
        settings.put("http.port", Integer.toString(httpPort));
        settings.put("transport.port", Integer.toString(transportPort));
        settings.put("path.data", data.toString());
        settings.put("path.logs", logs.toString());
        settings.put("cluster.name", "parley");
        settings.put("node.name", "parley-1");
        settings.put("action.destructive_requires_name", "false");
        // a small single node on a small disk: do not turn indices read-only at 95 % disk use
        settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        settings.forEach((k, v) -> {
            cmd.add("-E");
            cmd.add(k + "=" + v);
        });
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ES_JAVA_HOME", System.getProperty("java.home"));
        env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
        env.put("ES_TMPDIR", tmp.toString());
        env.put("HOME", base.toString());
        env.put("JAVA_HOME", null); // removed: the ES scripts warn that they ignore it

        Path logFile = base.resolve("elasticsearch-stdout.log");
        Child started = launcher.start(new ChildSpec("Elasticsearch", cmd, env,
                home(), logFile, launcherPidFile()));
        cli = started;
        try {
            started.awaitReady(() -> {
                if (stopRequested) {
                    throw new EmbeddedStackException("Elasticsearch start aborted: the application is stopping");
                }
                if (!started.process().isAlive() && started.process().exitValue() == 0) {
                    long pid = LinuxProcesses.readPid(serverPidFile()).orElse(-1L);
                    if (pid < 0 || !LinuxProcesses.isAlive(pid)) {
                        throw new EmbeddedStackException("Elasticsearch exited after starting; last lines of "
                                + logs.resolve("parley.log") + ":\n" + LogTail.of(logs.resolve("parley.log"), 40));
                    }
                }
                return healthy(url());
            }, startTimeout, true);
            serverPid = LinuxProcesses.readPid(serverPidFile()).orElseThrow(() ->
                    new EmbeddedStackException("Elasticsearch answers but wrote no pid file " + serverPidFile()));
            if (!started.process().isAlive()) {
                deleteQuietly(launcherPidFile());
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        log.info("Elasticsearch {} ready on {} in {} (data {}, heap {}, pid {})", VERSION, url(),
                Elapsed.since(t0), data, heap, serverPid);
        return this;
    }

    private void writeJvmOptions(Path logs) {
        Path file = home().resolve("config/jvm.options.d/parley.options");
        String options = String.join("\n",
                "# written by Parley's embedded stack on every start",
                // touch the heap lazily: a small node should not claim its whole heap up front
                "-XX:-AlwaysPreTouch",
                // no 32 x 64 MB GC log rotation in the data directory
                "-Xlog:disable",
                "-Xlog:all=warning:stderr:utctime,level,tags",
                "-XX:HeapDumpPath=" + logs,
                "-XX:ErrorFile=" + logs.resolve("hs_err_pid%p.log"),
                "");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, options);
        } catch (IOException e) {
            throw new EmbeddedStackException("Cannot write " + file + ": " + e, e);
        }
    }

    /** True when {@code GET <url>/_cluster/health} answers with status green or yellow. */
    public static boolean healthy(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url + "/_cluster/health").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            try {
                if (c.getResponseCode() != 200) {
                    return false;
                }
                try (InputStream in = c.getInputStream()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    return body.contains("\"status\":\"green\"") || body.contains("\"status\":\"yellow\"");
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM to the node (and to its launcher if still running), SIGKILL after the stop timeout. Idempotent. */
    public void stop() {
        stopRequested = true;
        Child c = cli;
        long pid = serverPid > 0 ? serverPid : LinuxProcesses.readPid(serverPidFile()).orElse(-1L);
        if (pid > 0 && LinuxProcesses.isAlive(pid)
                && LinuxProcesses.commandLine(pid).contains(home().toString())) {
            ProcessTree.stop(pid, Signal.TERM, stopTimeout, "Elasticsearch");
        }
        if (c != null) {
            c.stop(Signal.TERM, stopTimeout);
        }
        cli = null;
        serverPid = -1;
        deleteQuietly(serverPidFile());
        deleteQuietly(launcherPidFile());
    }

    /** Forgets the running node without stopping it (tests: the JVM dying with SIGKILL). */
    synchronized long abandon() {
        long pid = serverPid;
        cli = null;
        serverPid = -1;
        return pid;
    }

    @Override
    public void close() {
        stop();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
