package io.parley.embedded.mongo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.parley.embedded.Directories;
import io.parley.embedded.Elapsed;
import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.LoopbackPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server in-process on its in-memory backend, bound to a loopback port, made durable by
 * {@link Checkpoints} in {@code <base>/checkpoint.bson} (docs/design.md, section 6): the last checkpoint is loaded
 * before {@link #start()} returns (so before the application can reach the server), one is written every
 * {@code checkpointInterval} with activity and one at {@link #stop()}. The application talks to it only through
 * the real MongoDB driver.
 */
public final class EmbeddedMongo implements AutoCloseable {

    /** The default of {@code chat.mongo.checkpoint-interval}. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
    /** The H2 file of earlier versions: no longer read (the views rebuild by replay). */
    static final String OLD_H2_FILE = "readmodels.mv";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

    private final Path dir;
    private final int configuredPort;
    private final Duration checkpointInterval;
    private volatile MongoServer server;
    private volatile MongoClient checkpointClient;
    private volatile Checkpoints checkpoints;
    private volatile int port = -1;

    public EmbeddedMongo(Path base, int port) {
        this(base, port, DEFAULT_CHECKPOINT_INTERVAL);
    }

    /**
     * @param checkpointInterval how often a checkpoint is written while something changes; zero: only at stop
     */
    public EmbeddedMongo(Path base, int port, Duration checkpointInterval) {
        this.dir = base.toAbsolutePath().normalize();
        this.configuredPort = port;
        this.checkpointInterval = checkpointInterval;
    }

    public synchronized EmbeddedMongo start() {
        if (server != null) {
            return this;
        }
        long t0 = System.nanoTime();
        Directories.ensureWritable(dir, "MongoDB data");
        if (Files.exists(dir.resolve(OLD_H2_FILE))) {
            log.info("MongoDB: {} (the H2 store of earlier versions) is no longer used; the read models are rebuilt "
                    + "by replaying the events", dir.resolve(OLD_H2_FILE));
        }
        // a free port is taken by binding port 0 itself: probing for one and binding it later races with the
        // kernel handing the probed port out as the source port of some outgoing connection meanwhile
        int requested = configuredPort == 0 ? 0 : LoopbackPorts.choose(configuredPort, "chat.mongo.port");
        WriteCountingBackend backend = new WriteCountingBackend();
        MongoServer s = new MongoServer(backend);
        int p;
        try {
            s.bind("127.0.0.1", requested);
            p = s.getLocalAddress().getPort();
        } catch (RuntimeException e) {
            s.shutdownNow();
            throw new EmbeddedStackException("Cannot bind the embedded MongoDB to 127.0.0.1:" + requested + ": "
                    + e.getMessage(), e);
        }
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + p))
                .applicationName("parley-checkpoint")
                .build());
        Checkpoints c = new Checkpoints(dir, client, backend::writes);
        try {
            c.load();
        } catch (IOException | RuntimeException e) {
            client.close();
            s.shutdownNow();
            throw new EmbeddedStackException("Cannot load the MongoDB checkpoint " + c.file() + ": " + e.getMessage()
                    + " (move it away to rebuild the read models from the events)", e);
        }
        c.startPeriodic(checkpointInterval);
        server = s;
        checkpointClient = client;
        checkpoints = c;
        port = p;
        log.info("MongoDB (mongo-java-server, in memory, checkpoint {}) ready on 127.0.0.1:{} in {} (data {})",
                checkpointInterval.isZero() || checkpointInterval.isNegative() ? "at stop only"
                        : "every " + checkpointInterval.toMillis() + " ms of activity and at stop",
                port, Elapsed.since(t0), dir);
        return this;
    }

    public int port() {
        return port;
    }

    public String connectionString() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** Writes a checkpoint now, e.g. before a planned copy of the data directory. */
    public void checkpoint() throws IOException {
        Checkpoints c = checkpoints;
        if (c == null) {
            throw new IllegalStateException("the embedded MongoDB is not running");
        }
        c.write();
    }

    /** Writes the last checkpoint (if anything changed), then stops listening. Idempotent. */
    public synchronized void stop() {
        MongoServer s = server;
        Checkpoints c = checkpoints;
        MongoClient client = checkpointClient;
        server = null;
        checkpoints = null;
        checkpointClient = null;
        if (c != null) {
            c.stop();
        }
        if (client != null) {
            client.close();
        }
        if (s != null) {
            try {
                s.shutdown();
            } catch (RuntimeException e) {
                log.warn("Embedded MongoDB shutdown: {}", e.toString());
            }
            log.info("Embedded MongoDB stopped (checkpoint {})", dir.resolve(CheckpointFile.NAME));
        }
    }

    @Override
    public void close() {
        stop();
    }
}
