package io.parley.embedded.mongo;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's in-memory backend, counting the commands that may change data, so the periodic
 * checkpoint can tell "nothing happened since the last one" without reading anything.
 * <p>
 * Its collections do not track their data size: the stock collection BSON-encodes the old and the new
 * document on every update only to keep {@code collStats}' byte count, which nothing here reads; that was
 * 13.5 % of the platform's CPU under load (docs/design.md, section 11). And they look a query that names an
 * {@code _id} up by that id, as MongoDB does, instead of scanning.
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

        /**
         * A query that names one {@code _id} and more (the guarded history append, docs/design.md, section 15)
         * is matched against that one document. The stock collection uses an index only for a query on exactly
         * that index's keys and otherwise scans every document, which made each guarded append cost a scan of
         * all history buckets; MongoDB's planner uses the {@code _id} index here too.
         */
        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            Object id = query.get("_id");
            if (query.size() > 1 && id != null && !(id instanceof Document) && !(id instanceof Collection)
                    && !BsonRegularExpression.isRegularExpression(id)) {
                Document byId = new Document("_id", id);
                for (Index<Integer> index : getIndexes()) {
                    if (index.canHandle(byId)) {
                        return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit,
                                batchSize, fieldSelector);
                    }
                }
            }
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
    }
}
