package io.parley.projections.support;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A MongoDB wire server in memory for one test class, reached through the real driver over loopback TCP, as the
 * embedded default reaches its own: {@code @RegisterExtension static final InMemoryMongo mongo = new InMemoryMongo();}.
 */
public final class InMemoryMongo implements BeforeAllCallback, AfterAllCallback {
    private MongoServer server;
    private MongoClient client;
    /** The update statements sent, as {@code <collection>/<filter>}: what a test of write coalescing counts. */
    private final List<String> updates = new CopyOnWriteArrayList<>();
    /** The queries sent, as {@code <collection>/<filter>}: what a test of batched reads counts. */
    private final List<String> finds = new CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new MongoServer(new MemoryBackend());
        CommandListener recorder = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if ("find".equals(event.getCommandName())) {
                    finds.add(event.getCommand().getString("find").getValue() + "/"
                            + event.getCommand().getDocument("filter", new org.bson.BsonDocument()).toJson());
                }
                if ("update".equals(event.getCommandName())) {
                    String collection = event.getCommand().getString("update").getValue();
                    event.getCommand().getArray("updates").forEach(statement ->
                            updates.add(collection + "/" + statement.asDocument().getDocument("q").toJson()));
                }
            }
        };
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
                .addCommandListener(recorder).build());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        server.shutdown();
    }

    public MongoClient client() {
        return client;
    }

    /** The update statements sent since the last call, each {@code <collection>/<filter as JSON>}; then forgets them. */
    public List<String> takeUpdates() {
        List<String> taken = List.copyOf(updates);
        updates.clear();
        return taken;
    }

    /** The queries sent since the last call, each {@code <collection>/<filter as JSON>}; then forgets them. */
    public List<String> takeFinds() {
        List<String> taken = List.copyOf(finds);
        finds.clear();
        return taken;
    }

    /** The named database, emptied: each test starts from nothing. */
    public MongoDatabase emptyDatabase(String name) {
        MongoDatabase database = client.getDatabase(name);
        database.drop();
        return database;
    }
}
