package io.parley.embedded.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.parley.embedded.Directories;
import io.parley.embedded.Elapsed;
import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.archive.Unpacker;
import io.parley.embedded.process.Child;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.embedded.process.ChildSpec;
import io.parley.embedded.process.LinuxProcesses;
import io.parley.embedded.process.ProcessTree;
import io.parley.embedded.process.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 16 from the zonky binaries jar, run as a child process: unpacked into {@code <base>/dist} once,
 * {@code initdb} once into {@code <base>/data}, started on a loopback port with {@code fsync=on} and
 * {@code synchronous_commit=on}, stopped with SIGINT (fast shutdown). An orphan of a previous run (found via
 * {@code <base>/data/postmaster.pid}) is stopped before the new start.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String RESOURCE = "postgres-linux-x86_64.txz";
    public static final String SUPERUSER = "postgres";

    private final Path base;
    private final int port;
    private final String database;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final ChildProcessLauncher launcher;
    private volatile Child child;
    private volatile String version = "16";
    private volatile boolean stopRequested;

    public EmbeddedPostgres(Path base, int port, String database, Duration startTimeout, Duration stopTimeout,
                            ChildProcessLauncher launcher) {
        this.base = base.toAbsolutePath().normalize();
        this.port = port;
        this.database = database;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.launcher = launcher;
    }

    public Path dataDirectory() {
        return base.resolve("data");
    }

    /** What the server writes (and initdb wrote): the reason of a failed start or of a crash is in it. */
    public Path logFile() {
        return base.resolve("postgres.log");
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    public String version() {
        return version;
    }

    public long pid() {
        Child c = child;
        return c == null ? -1 : c.pid();
    }

    public boolean isRunning() {
        Child c = child;
        return c != null && c.process().isAlive();
    }

    /** Starts the server (blocking until it accepts connections and the database exists). */
    public synchronized EmbeddedPostgres start() {
        if (isRunning()) {
            return this;
        }
        stopRequested = false;
        long t0 = System.nanoTime();
        Directories.ensureWritable(base, "PostgreSQL data");
        Path dist = base.resolve("dist");
        Path data = dataDirectory();
        Path socketDir = socketDirectory();
        Path logFile = logFile();

        ProcessTree.stopOrphan(data.resolve("postmaster.pid"), data.toString(),
                Signal.INT, stopTimeout, "PostgreSQL");
        killLeftoverBackends(data);
        Unpacker.txzResourceOnce(RESOURCE, dist);
        Directories.createIfMissing(socketDir);
        Map<String, String> env = Map.of("LC_ALL", "C", "HOME", base.toString());

        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            Path staging = base.resolve("data.initdb");
            try {
                Directories.deleteTree(staging);
            } catch (IOException e) {
                throw new EmbeddedStackException("Cannot clean " + staging + ": " + e, e);
            }
            if (Files.exists(data)) {
                throw new EmbeddedStackException("PostgreSQL data directory " + data + " exists but holds no cluster "
                        + "(no PG_VERSION): move it away or delete it");
            }
            launcher.ownTrees(base);
            long ti = System.nanoTime();
            launcher.runToCompletion(new ChildSpec("initdb",
                    List.of(dist.resolve("bin/initdb").toString(), "-D", staging.toString(), "-U", SUPERUSER,
                            "--auth=trust", "-E", "UTF8", "--locale=C"),
                    env, base, logFile, null), startTimeout);
            try {
                Files.move(staging, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new EmbeddedStackException("Cannot move " + staging + " to " + data + ": " + e, e);
            }
            log.info("PostgreSQL initdb done in {} ({})", Elapsed.since(ti), data);
        }
        launcher.ownTrees(base, socketDir);
        if (!LoopbackPorts.isFree(port)) {
            throw new EmbeddedStackException("Port " + port + " (chat.postgres.port) on 127.0.0.1 is already in use");
        }

        ChildSpec spec = new ChildSpec("PostgreSQL",
                List.of(dist.resolve("bin/postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                        "-c", "listen_addresses=127.0.0.1",
                        "-c", "unix_socket_directories=" + socketDir,
                        "-c", "fsync=on",
                        "-c", "synchronous_commit=on",
                        "-c", "full_page_writes=on",
                        "-c", "shared_buffers=64MB",
                        "-c", "max_connections=100",
                        "-c", "logging_collector=off"),
                env, base, logFile, null);
        Child started = launcher.start(spec);
        child = started;
        try {
            started.awaitReady(() -> {
                if (stopRequested) {
                    throw new EmbeddedStackException("PostgreSQL start aborted: the application is stopping");
                }
                return accepts();
            }, startTimeout, false);
            ensureDatabase();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        log.info("PostgreSQL {} ready on 127.0.0.1:{} in {} (data {}, pid {})", version, port,
                Elapsed.since(t0), data, started.pid());
        return this;
    }

    /**
     * After the postmaster died by SIGKILL its backends exit on their own once they notice (the postmaster-death
     * pipe), but one still attached to the old shared memory makes the new postmaster refuse to start ("pre-existing
     * shared memory block is still in use"). Every PostgreSQL process works in its data directory, which is how
     * the leftovers are found, whatever their parent now is; they are killed, as the postmaster would have done.
     * The stale {@code postmaster.pid} itself needs nothing: the new postmaster sees its pid dead and overwrites it,
     * then runs crash recovery from the WAL.
     */
    private static void killLeftoverBackends(Path data) {
        long self = ProcessHandle.current().pid();
        for (long pid : LinuxProcesses.workingIn(data)) {
            if (pid != self && LinuxProcesses.commandLine(pid).startsWith("postgres")) {
                log.warn("PostgreSQL process {} ({}) outlived its postmaster: killing it",
                        pid, LinuxProcesses.commandLine(pid).strip());
                ProcessTree.signal(pid, Signal.KILL);
            }
        }
    }

    private Path socketDirectory() {
        Path preferred = base.resolve("run");
        // a unix socket path is limited to 107 bytes: fall back to /tmp for deep data directories
        if (preferred.resolve(".s.PGSQL." + port + ".lock").toString().length() < 100) {
            return preferred;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "parley-pg-" + port);
    }

    private boolean accepts() {
        try (Connection c = connect("postgres")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1).split(" ")[0];
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** A direct connection as the superuser (used for set-up and by tests). */
    public Connection connect(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "2");
        return DriverManager.getConnection(jdbcUrl(db), p);
    }

    private void ensureDatabase() {
        try (Connection c = connect("postgres");
             Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '"
                    + database.replace("'", "''") + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                log.info("Created PostgreSQL database {}", database);
            }
        } catch (SQLException e) {
            throw new EmbeddedStackException("Cannot create the PostgreSQL database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Fast shutdown (SIGINT), SIGKILL after the stop timeout. Idempotent. */
    public void stop() {
        stopRequested = true;
        Child c = child;
        if (c != null) {
            c.stop(Signal.INT, stopTimeout);
            child = null;
        }
    }

    /**
     * Forgets the running server without stopping it (tests: simulates the JVM dying with SIGKILL).
     * Returns the forgotten pid.
     */
    synchronized long abandon() {
        long pid = pid();
        child = null;
        return pid;
    }

    @Override
    public void close() {
        stop();
    }
}
