package io.parley.embedded.mongo;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's in-memory backend, counting the commands that may change data, so the periodic
 * checkpoint can tell "nothing happened since the last one" without reading anything.
 */
final class WriteCountingBackend extends MemoryBackend {

    /** Command names that change data or its indexes (lower-case: the wire protocol allows either case). */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create",
            "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");

    private final AtomicLong writes = new AtomicLong();

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (WRITES.contains(command.toLowerCase(java.util.Locale.ROOT))) {
            writes.incrementAndGet();
        }
        return super.handleCommand(channel, databaseName, command, query);
    }

    /** Write commands received so far (counted before they run: a checkpoint after a change sees a new value). */
    long writes() {
        return writes.get();
    }
}
