package io.parley.embedded.mongo;

import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.parley.embedded.Directories;
import io.parley.embedded.Elapsed;
import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.LoopbackPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server in-process, backed by its H2 MVStore file ({@code <base>/readmodels.mv}), bound to a
 * loopback port. The application talks to it only through the real MongoDB driver.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

    private final Path file;
    private final int configuredPort;
    private volatile H2Backend backend;
    private volatile MongoServer server;
    private volatile int port = -1;

    public EmbeddedMongo(Path base, int port) {
        this.file = base.toAbsolutePath().normalize().resolve("readmodels.mv");
        this.configuredPort = port;
    }

    public synchronized EmbeddedMongo start() {
        if (server != null) {
            return this;
        }
        long t0 = System.nanoTime();
        Directories.ensureWritable(file.getParent(), "MongoDB data");
        int p = LoopbackPorts.choose(configuredPort, "chat.mongo.port");
        H2Backend b;
        try {
            b = new H2Backend(file.toString());
        } catch (RuntimeException e) {
            throw new EmbeddedStackException("Cannot open the MongoDB store " + file + " (in use by another process?): "
                    + e.getMessage(), e);
        }
        MongoServer s = new MongoServer(b);
        try {
            s.bind("127.0.0.1", p);
        } catch (RuntimeException e) {
            s.shutdownNow();
            b.close();
            throw new EmbeddedStackException("Cannot bind the embedded MongoDB to 127.0.0.1:" + p + ": " + e.getMessage(), e);
        }
        backend = b;
        server = s;
        port = p;
        log.info("MongoDB (mongo-java-server, H2) ready on 127.0.0.1:{} in {} (data {})", port,
                Elapsed.since(t0), file);
        return this;
    }

    public int port() {
        return port;
    }

    public String connectionString() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** Stops listening, closes the server and the H2 store (flushing it). Idempotent. */
    public synchronized void stop() {
        MongoServer s = server;
        H2Backend b = backend;
        server = null;
        backend = null;
        if (s != null) {
            try {
                s.shutdown();
            } catch (RuntimeException e) {
                log.warn("Embedded MongoDB shutdown: {}", e.toString());
            }
        }
        if (b != null) {
            try {
                if (!b.getMvStore().isClosed()) {
                    b.close();
                }
            } catch (RuntimeException e) {
                log.warn("Closing the H2 store {}: {}", file, e.toString());
            }
            log.info("Embedded MongoDB stopped (store {} closed)", file);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
