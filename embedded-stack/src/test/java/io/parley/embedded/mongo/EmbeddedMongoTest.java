package io.parley.embedded.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.TestDirs;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class EmbeddedMongoTest {

    @Test
    void writesThroughTheDriverAndReadsBackAfterARestartOnTheSameFile() throws Exception {
        Path base = TestDirs.create("mongo").resolve("mongo");

        EmbeddedMongo first = new EmbeddedMongo(base, 0).start();
        try (MongoClient client = MongoClients.create(first.connectionString())) {
            MongoCollection<Document> rooms = client.getDatabase("parley").getCollection("rooms");
            rooms.insertOne(new Document("_id", "r1").append("name", "general").append("members", 3));
            rooms.updateOne(new Document("_id", "r1"), new Document("$inc", new Document("members", 1)));
            assertThat(client.getDatabase("parley").runCommand(new Document("ping", 1)).get("ok")).isEqualTo(1.0);
        }
        first.stop();
        assertThat(Files.size(base.resolve("checkpoint.bson"))).isPositive();
        assertThat(LoopbackPorts.isFree(first.port())).isTrue();

        EmbeddedMongo second = new EmbeddedMongo(base, 0).start();
        try (MongoClient client = MongoClients.create(second.connectionString())) {
            Document room = client.getDatabase("parley").getCollection("rooms").find(new Document("_id", "r1")).first();
            assertThat(room).isNotNull();
            assertThat(room.getString("name")).isEqualTo("general");
            assertThat(room.getInteger("members")).isEqualTo(4);
        } finally {
            second.stop();
        }
    }
}
