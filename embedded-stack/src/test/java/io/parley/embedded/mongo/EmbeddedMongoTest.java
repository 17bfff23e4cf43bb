package io.parley.embedded.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
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

    /** Queries naming an {@code _id} and more are looked up by the id (not scanned) and answer as MongoDB does. */
    @Test
    void aQueryOnAnIdAndMoreMatchesThatDocumentOnlyWhenTheRestHolds() throws Exception {
        EmbeddedMongo mongo = new EmbeddedMongo(TestDirs.create("mongo-id").resolve("mongo"), 0).start();
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> buckets = client.getDatabase("parley").getCollection("buckets");
            for (int i = 0; i < 50; i++) {
                buckets.insertOne(new Document("_id", "c:" + i).append("entries",
                        List.of(new Document("seq", 1L), new Document("seq", 2L))));
            }
            Document notYetThere = new Document("_id", "c:7").append("entries.seq", new Document("$nin", List.of(3L, 4L)));
            Document alreadyThere = new Document("_id", "c:7").append("entries.seq", new Document("$nin", List.of(2L, 3L)));
            assertThat(buckets.find(notYetThere).into(new ArrayList<>())).extracting(d -> d.get("_id")).containsExactly("c:7");
            assertThat(buckets.find(alreadyThere).first()).isNull();

            Document push = new Document("$push", new Document("entries", new Document("$each",
                    List.of(new Document("seq", 3L)))));
            assertThat(buckets.updateOne(notYetThere, push).getModifiedCount()).isEqualTo(1);
            assertThat(buckets.updateOne(alreadyThere, push).getModifiedCount()).isZero();
            assertThatThrownBy(() -> buckets.updateOne(alreadyThere, push, new UpdateOptions().upsert(true)))
                    .as("the guard fails on a stored bucket: the upsert meets its _id")
                    .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getCode()).isEqualTo(11000));
            assertThat(buckets.updateOne(new Document("_id", "c:new").append("entries.seq",
                    new Document("$nin", List.of(1L))), push, new UpdateOptions().upsert(true)).getUpsertedId()).isNotNull();

            assertThat(buckets.find(new Document("_id", "c:7")).first().getList("entries", Document.class))
                    .extracting(d -> d.getLong("seq")).containsExactly(1L, 2L, 3L);
            assertThat(buckets.countDocuments(new Document("entries.seq", 3L))).as("other queries as before").isEqualTo(2);
            assertThat(buckets.countDocuments(new Document("_id", new Document("$in", List.of("c:1", "c:2")))
                    .append("entries.seq", 2L))).isEqualTo(2);
        } finally {
            mongo.stop();
        }
    }
}
