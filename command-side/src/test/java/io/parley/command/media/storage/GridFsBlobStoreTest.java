package io.parley.command.media.storage;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Path;

/** The GridFS driver through the real MongoDB driver, against an in-memory mongo-java-server. */
class GridFsBlobStoreTest extends BlobStoreContract {

    private MongoServer server;
    private MongoClient client;

    @Override
    BlobStore store(Path staging) throws IOException {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        return new GridFsBlobStore(client.getDatabase("test"), "media", staging);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            server.shutdownNow();
        }
    }
}
