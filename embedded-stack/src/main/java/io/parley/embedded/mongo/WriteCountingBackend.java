package io.parley.embedded.mongo;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's in-memory backend, counting the commands that may change data, so the periodic
 * checkpoint can tell "nothing happened since the last one" without reading anything.
 * <p>
 * Its collections do not track their data size: the stock collection BSON-encodes the old and the new
 * document on every update only to keep {@code collStats}' byte count, which nothing here reads; that was
 * 13.5 % of the platform's CPU under load (docs/design.md, section 11).
 */
final class WriteCountingBackend extends MemoryBackend {

    /** Command names that change data or its indexes (lower-case: the wire protocol allows either case). */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create",
            "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");

    private final AtomicLong writes = new AtomicLong();

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (WRITES.contains(command.toLowerCase(Locale.ROOT))) {
            writes.incrementAndGet();
        }
        return super.handleCommand(channel, databaseName, command, query);
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new UnsizedDatabase(databaseName, getCursorRegistry());
    }

    /** Write commands received so far (counted before they run: a checkpoint after a change sees a new value). */
    long writes() {
        return writes.get();
    }

    private static final class UnsizedDatabase extends MemoryDatabase {
        private final CursorRegistry cursors;

        UnsizedDatabase(String name, CursorRegistry cursors) {
            super(name, cursors);
            this.cursors = cursors;
        }

        @Override
        protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new UnsizedCollection(this, collectionName, options, cursors);
        }
    }

    private static final class UnsizedCollection extends MemoryCollection {
        UnsizedCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
            super(database, name, options, cursors);
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }
    }
}
