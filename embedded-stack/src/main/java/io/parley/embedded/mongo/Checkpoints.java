package io.parley.embedded.mongo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import io.parley.embedded.Elapsed;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the in-memory MongoDB durable enough for read models (docs/design.md, section 6): {@link #write()} dumps,
 * through the driver, first the tracking tokens and then every other collection of every database into one
 * {@link CheckpointFile}; {@link #load()} puts the last checkpoint back into an empty server. Because the tokens are
 * read before any view, every view in a checkpoint is at least as new as the tokens beside it, and the processors,
 * whose handlers are idempotent, replay the tail from those tokens over views that may already hold part of it.
 * <p>
 * {@link #startPeriodic} writes one every interval in which a write command reached the server, on a daemon thread.
 */
final class Checkpoints {

    /** The collection of Axon's {@code MongoTokenStore} (its default name, as the gateway builds it). */
    static final String TOKENS = "trackingtokens";
    private static final List<String> SYSTEM_DATABASES = List.of("admin", "local", "config");
    private static final int LOAD_BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final Path dir;
    private final MongoClient client;
    private final LongSupplier writes;
    private final Object lock = new Object();
    private volatile long writesAtLastCheckpoint = -1;
    private ScheduledExecutorService scheduler;

    /**
     * @param dir    where {@code checkpoint.bson} lives
     * @param client a client of the embedded server (the checkpoint's own reads are not writes)
     * @param writes the server's count of write commands, to skip checkpoints when nothing changed
     */
    Checkpoints(Path dir, MongoClient client, LongSupplier writes) {
        this.dir = dir;
        this.client = client;
        this.writes = writes;
    }

    Path file() {
        return dir.resolve(CheckpointFile.NAME);
    }

    /** Loads the last checkpoint, if any, into the (empty) server. */
    void load() throws IOException {
        Files.deleteIfExists(dir.resolve(CheckpointFile.TEMPORARY));
        Path file = file();
        if (!Files.exists(file)) {
            writesAtLastCheckpoint = writes.getAsLong();
            return;
        }
        long t0 = System.nanoTime();
        Loader loader = new Loader();
        CheckpointFile.read(file, loader);
        writesAtLastCheckpoint = writes.getAsLong();
        log.info("MongoDB checkpoint {} loaded: {} documents in {} collections in {}", file, loader.documents,
                loader.collections, Elapsed.since(t0));
    }

    /** Writes a checkpoint now (whether or not anything changed). */
    void write() throws IOException {
        synchronized (lock) {
            long before = writes.getAsLong();
            long t0 = System.nanoTime();
            int[] documents = {0};
            CheckpointFile.write(dir, out -> {
                List<MongoDatabase> databases = new ArrayList<>();
                for (String name : client.listDatabaseNames()) {
                    if (!SYSTEM_DATABASES.contains(name)) {
                        databases.add(client.getDatabase(name));
                    }
                }
                // Tokens first: every view read afterwards is at least as new as them.
                for (MongoDatabase db : databases) {
                    if (names(db).contains(TOKENS)) {
                        documents[0] += dump(db, TOKENS, out);
                    }
                }
                for (MongoDatabase db : databases) {
                    for (String name : names(db)) {
                        if (!name.equals(TOKENS) && !name.startsWith("system.")) {
                            documents[0] += dump(db, name, out);
                        }
                    }
                }
            });
            writesAtLastCheckpoint = before;
            log.debug("MongoDB checkpoint written: {} documents in {}", documents[0], Elapsed.since(t0));
        }
    }

    /** Writes a checkpoint if a write command reached the server since the last one. */
    void writeIfChanged() throws IOException {
        if (writes.getAsLong() != writesAtLastCheckpoint) {
            write();
        }
    }

    /**
     * A checkpoint is a full dump, so its cost grows with the store: after one that took d, the next periodic one
     * waits at least {@value #PACING} x d more, which keeps the checkpoint thread under a tenth of a core however
     * large the views grow (the interval then stretches; the replay tail after a crash grows with it).
     */
    static final int PACING = 9;
    private volatile long notBeforeNanos;

    /** Calls {@link #writeIfChanged()} every {@code interval} (paced, see {@link #PACING}) on a daemon thread until {@link #stop()}. */
    synchronized void startPeriodic(Duration interval) {
        if (scheduler != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-mongo-checkpoint");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                long start = System.nanoTime();
                if (start - notBeforeNanos < 0) {
                    return;
                }
                writeIfChanged();
                long end = System.nanoTime();
                notBeforeNanos = end + PACING * (end - start);
            } catch (IOException | RuntimeException e) {
                log.warn("MongoDB checkpoint failed (the previous one stays): {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the periodic checkpoints (waiting for one under way), then writes the last one if needed. */
    void stop() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            long t0 = System.nanoTime();
            if (writes.getAsLong() != writesAtLastCheckpoint) {
                write();
                log.info("MongoDB checkpoint {} written at shutdown in {}", file(), Elapsed.since(t0));
            }
        } catch (IOException | RuntimeException e) {
            log.error("MongoDB checkpoint at shutdown failed (the previous one stays; the views replay from its "
                    + "tokens): {}", e.toString());
        }
    }

    private static List<String> names(MongoDatabase db) {
        return db.listCollectionNames().into(new ArrayList<>());
    }

    private static int dump(MongoDatabase db, String name, CheckpointFile.Writer out) throws IOException {
        MongoCollection<RawBsonDocument> collection = db.getCollection(name, RawBsonDocument.class);
        List<BsonDocument> indexes = new ArrayList<>();
        for (BsonDocument index : collection.listIndexes(BsonDocument.class)) {
            if (!"_id_".equals(index.getString("name", new BsonString("")).getValue())) {
                index.remove("v");
                index.remove("ns");
                indexes.add(index);
            }
        }
        out.collection(db.getName(), name, indexes);
        int n = 0;
        for (RawBsonDocument doc : collection.find().batchSize(LOAD_BATCH)) {
            out.document(doc.getByteBuffer().asNIO());
            n++;
        }
        return n;
    }

    /** Inserts what a checkpoint holds, collection by collection, in batches. */
    private final class Loader implements CheckpointFile.Reader {
        private final List<RawBsonDocument> batch = new ArrayList<>();
        private MongoCollection<RawBsonDocument> current;
        private int collections;
        private long documents;

        @Override
        public void collection(String database, String name, List<BsonDocument> indexes) {
            flush();
            MongoDatabase db = client.getDatabase(database);
            db.createCollection(name);
            if (!indexes.isEmpty()) {
                try {
                    db.runCommand(new BsonDocument("createIndexes", new BsonString(name))
                            .append("indexes", new BsonArray(indexes)));
                } catch (RuntimeException e) {
                    log.warn("Recreating the indexes of {}.{} from the checkpoint: {}", database, name, e.toString());
                }
            }
            current = db.getCollection(name, RawBsonDocument.class);
            collections++;
        }

        @Override
        public void document(RawBsonDocument document) {
            batch.add(document);
            if (batch.size() >= LOAD_BATCH) {
                flush();
            }
        }

        @Override
        public void end() {
            flush();
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            try {
                current.insertMany(batch, new InsertManyOptions().ordered(false));
                documents += batch.size();
            } catch (MongoBulkWriteException e) {
                // A document read twice or a unique key taken by two documents dumped at different moments: the
                // tail replayed from the tokens (older than every view) writes the right state again.
                int skipped = e.getWriteErrors().size();
                documents += batch.size() - skipped;
                log.warn("MongoDB checkpoint: {} documents of {} not loaded: {}", skipped,
                        current.getNamespace(), e.getWriteErrors().get(0).getMessage());
            }
            batch.clear();
        }
    }
}
