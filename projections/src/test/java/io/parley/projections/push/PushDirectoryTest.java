package io.parley.projections.push;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.api.account.DevicePlatform;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory reads its collections through typed records; documents written in the stored format (as earlier
 * versions wrote them, field by field) must still read the same.
 */
class PushDirectoryTest {

    private static MongoServer server;
    private static MongoClient mongo;
    private MongoDatabase database;
    private PushDirectory directory;

    @BeforeAll
    static void startServer() {
        server = new MongoServer(new MemoryBackend());
        mongo = MongoClients.create(server.bindAndGetConnectionString());
    }

    @AfterAll
    static void stopServer() {
        mongo.close();
        server.shutdown();
    }

    @BeforeEach
    void freshDatabase() {
        database = mongo.getDatabase("push-directory-" + UUID.randomUUID());
        directory = new PushDirectory(database);
    }

    @Test
    void aStoredConversationReadsWithItsMutes() {
        Instant later = Instant.parse("2030-01-01T00:00:00Z");
        database.getCollection(PushDirectory.CONVERSATIONS).insertOne(new Document("_id", "c1")
                .append("group", true).append("title", "Hiking").append("members", List.of("ann", "bob", "cid"))
                .append("muted", new Document("bob", null).append("cid", Date.from(later))));

        PushDirectory.Conversation conversation = directory.conversation("c1").orElseThrow();

        assertThat(conversation.group()).isTrue();
        assertThat(conversation.title()).isEqualTo("Hiking");
        assertThat(conversation.members()).containsExactly("ann", "bob", "cid");
        Instant now = Instant.parse("2029-01-01T00:00:00Z");
        assertThat(conversation.mutedBy("ann", now)).isFalse();
        assertThat(conversation.mutedBy("bob", now)).as("muted without end").isTrue();
        assertThat(conversation.mutedBy("cid", now)).isTrue();
        assertThat(conversation.mutedBy("cid", later.plusSeconds(1))).isFalse();
    }

    @Test
    void aConversationKnownOnlyByAMuteReadsAsAnEmptyDirectChat() {
        directory.muted("c2", "bob", null);

        PushDirectory.Conversation conversation = directory.conversation("c2").orElseThrow();

        assertThat(conversation.group()).isFalse();
        assertThat(conversation.title()).isNull();
        assertThat(conversation.members()).isEmpty();
        assertThat(conversation.mutedBy("bob", Instant.now())).isTrue();
    }

    @Test
    void aStoredUserReadsWithItsDevicesInStoredOrder() {
        database.getCollection(PushDirectory.USERS).insertOne(new Document("_id", "ann")
                .append("displayName", "Ann")
                .append("devices", new Document("phone", new Document("platform", "ANDROID").append("token", "t1"))
                        .append("laptop", new Document("platform", "WEB").append("token", "t2"))));

        PushDirectory.User ann = directory.user("ann").orElseThrow();

        assertThat(ann.displayName()).isEqualTo("Ann");
        assertThat(ann.devices()).containsExactly(new PushDirectory.Device("phone", DevicePlatform.ANDROID, "t1"),
                new PushDirectory.Device("laptop", DevicePlatform.WEB, "t2"));
        assertThat(directory.users(List.of("ann", "nobody"))).containsOnlyKeys("ann");
    }

    @Test
    void aUserKnownOnlyByADeviceReadsWithoutName() {
        directory.deviceRegistered("bob", "tablet", DevicePlatform.IOS, "t3");
        directory.deviceRegistered("bob", "phone", DevicePlatform.ANDROID, "t4");
        directory.deviceRemoved("bob", "tablet");

        PushDirectory.User bob = directory.user("bob").orElseThrow();

        assertThat(bob.displayName()).isNull();
        assertThat(bob.devices()).containsExactly(new PushDirectory.Device("phone", DevicePlatform.ANDROID, "t4"));
    }
}
