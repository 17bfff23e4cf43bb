package io.parley.embedded.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.parley.embedded.TestDirs;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

    private static Document varied(String id) {
        return new Document("_id", id)
                .append("text", "héllo ✓")
                .append("int", 42)
                .append("long", 1L << 40)
                .append("double", 2.5)
                .append("decimal", Decimal128.parse("12.345"))
                .append("bool", true)
                .append("null", null)
                .append("date", Date.from(Instant.parse("2026-12-01T10:15:30.123Z")))
                .append("oid", new ObjectId("65a1b2c3d4e5f60718293a4b"))
                .append("bin", new Binary(new byte[] {0, 1, 2, (byte) 255}))
                .append("uuid", UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301").toString())
                .append("list", List.of(1, "two", new Document("three", 3)))
                .append("nested", new Document("a", new Document("b", List.of())));
    }

    @Test
    void roundTripsSeveralCollectionsAndDatabasesWithTheirIndexesTokensFirst() throws Exception {
        Path dir = TestDirs.create("checkpoint-roundtrip").resolve("mongo");
        EmbeddedMongo first = new EmbeddedMongo(dir, 0, Duration.ZERO).start();
        try (MongoClient client = MongoClients.create(first.connectionString())) {
            MongoDatabase parley = client.getDatabase("parley");
            parley.getCollection("conversations").insertMany(List.of(varied("c1"), varied("c2")));
            parley.getCollection("messages").insertOne(new Document("_id", new Document("c", "c1").append("seq", 7L))
                    .append("body", "hi"));
            parley.getCollection("handles").createIndex(Indexes.ascending("handle"), new IndexOptions().unique(true));
            parley.getCollection("handles").insertOne(new Document("_id", "u1").append("handle", "ada"));
            parley.getCollection(Checkpoints.TOKENS).insertOne(new Document("processorName", "views")
                    .append("segment", 0).append("token", new Binary("<token/>".getBytes())));
            client.getDatabase("other").getCollection("things").insertOne(new Document("_id", 1).append("x", "y"));
        }
        first.stop();

        List<String> order = new ArrayList<>();
        CheckpointFile.read(dir.resolve(CheckpointFile.NAME), new CheckpointFile.Reader() {
            @Override
            public void collection(String database, String name, List<BsonDocument> indexes) {
                order.add(database + "." + name);
            }

            @Override
            public void document(RawBsonDocument document) {
            }

            @Override
            public void end() {
                order.add("end");
            }
        });
        assertThat(order.get(0)).isEqualTo("parley." + Checkpoints.TOKENS);
        assertThat(order).containsExactlyInAnyOrder("parley." + Checkpoints.TOKENS, "parley.conversations",
                "parley.messages", "parley.handles", "other.things", "end");

        EmbeddedMongo second = new EmbeddedMongo(dir, 0, Duration.ZERO).start();
        try (MongoClient client = MongoClients.create(second.connectionString())) {
            MongoDatabase parley = client.getDatabase("parley");
            assertThat(parley.getCollection("conversations").find().into(new ArrayList<>()))
                    .containsExactlyInAnyOrder(varied("c1"), varied("c2"));
            assertThat(parley.getCollection("messages").find().first().get("_id"))
                    .isEqualTo(new Document("c", "c1").append("seq", 7L));
            assertThat(parley.getCollection(Checkpoints.TOKENS).find().first().get("token", Binary.class).getData())
                    .isEqualTo("<token/>".getBytes());
            assertThat(client.getDatabase("other").getCollection("things").countDocuments()).isEqualTo(1);
            // the unique index came back with the data
            assertThatThrownBy(() -> parley.getCollection("handles")
                    .insertOne(new Document("_id", "u2").append("handle", "ada")))
                    .hasMessageContaining("duplicate key");
        } finally {
            second.stop();
        }
    }

    @Test
    void aWriteThatFailsMidwayLeavesThePreviousCheckpointIntact() throws Exception {
        Path dir = Files.createDirectories(TestDirs.create("checkpoint-atomic").resolve("mongo"));
        CheckpointFile.write(dir, out -> {
            out.collection("parley", "views", List.of());
            out.document(raw(1));
        });
        byte[] previous = Files.readAllBytes(dir.resolve(CheckpointFile.NAME));

        assertThatThrownBy(() -> CheckpointFile.write(dir, out -> {
            out.collection("parley", "views", List.of());
            for (int i = 0; i < 10_000; i++) {
                out.document(raw(i));
            }
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(Files.readAllBytes(dir.resolve(CheckpointFile.NAME))).isEqualTo(previous);
        assertThat(dir.resolve(CheckpointFile.TEMPORARY)).doesNotExist();
    }

    @Test
    void aTruncatedCheckpointIsRefusedRatherThanLoadedHalf() throws Exception {
        Path dir = Files.createDirectories(TestDirs.create("checkpoint-truncated").resolve("mongo"));
        CheckpointFile.write(dir, out -> {
            out.collection("parley", "views", List.of());
            out.document(raw(1));
            out.document(raw(2));
        });
        Path file = dir.resolve(CheckpointFile.NAME);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 6));

        assertThatThrownBy(() -> new EmbeddedMongo(dir, 0, Duration.ZERO).start())
                .hasMessageContaining("Cannot load the MongoDB checkpoint");
    }

    @Test
    void periodicCheckpointsFollowWritesAndSkipIdleIntervals() throws Exception {
        Path dir = TestDirs.create("checkpoint-periodic").resolve("mongo");
        EmbeddedMongo mongo = new EmbeddedMongo(dir, 0, Duration.ofMillis(200)).start();
        Path file = dir.resolve(CheckpointFile.NAME);
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            Thread.sleep(600);
            assertThat(file).as("nothing written yet: no checkpoint").doesNotExist();

            client.getDatabase("parley").getCollection("views").insertOne(new Document("_id", "v1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(file) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(file).exists();
            Thread.sleep(300);
            long modified = Files.getLastModifiedTime(file).toMillis();
            Thread.sleep(700);
            assertThat(Files.getLastModifiedTime(file).toMillis()).as("idle: not rewritten").isEqualTo(modified);
        } finally {
            mongo.stop();
        }
    }

    private static ByteBuffer raw(int i) {
        return new RawBsonDocument(new BsonDocument("_id", new BsonInt32(i)),
                new org.bson.codecs.BsonDocumentCodec()).getByteBuffer().asNIO();
    }
}
