package io.parley.query.presence;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code presence} documents keep their stored shape: {@code {_id: userId, lastSeenAt: date}}. */
class LastSeenCodecTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00.123Z");

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase database;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        database = client.getDatabase("test");
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void oldDocumentsReadAndWritesKeepTheShape() {
        database.getCollection("presence").insertOne(new Document("_id", "alice").append("lastSeenAt", Date.from(T)));
        MongoCollection<LastSeen> presence = LastSeenCodec.collection(database);
        assertThat(presence.find(LastSeenCodec.byUser("alice")).first()).isEqualTo(new LastSeen("alice", T));
        assertThat(presence.find(LastSeenCodec.byUser("bob")).first()).isNull();

        presence.replaceOne(LastSeenCodec.byUser("bob"), new LastSeen("bob", T.plusSeconds(1)),
                new ReplaceOptions().upsert(true));
        assertThat(database.getCollection("presence").find(new Document("_id", "bob")).first())
                .isEqualTo(new Document("_id", "bob").append("lastSeenAt", Date.from(T.plusSeconds(1))));
    }
}
