package io.parley.projections.support;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MongoDB wire server in memory for one test class, reached through the real driver over loopback TCP, as the
 * embedded default reaches its own: {@code @RegisterExtension static final InMemoryMongo mongo = new InMemoryMongo();}.
 */
public final class InMemoryMongo implements BeforeAllCallback, AfterAllCallback {
    private MongoServer server;
    private MongoClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        server.shutdown();
    }

    public MongoClient client() {
        return client;
    }

    /** The named database, emptied: each test starts from nothing. */
    public MongoDatabase emptyDatabase(String name) {
        MongoDatabase database = client.getDatabase(name);
        database.drop();
        return database;
    }
}
