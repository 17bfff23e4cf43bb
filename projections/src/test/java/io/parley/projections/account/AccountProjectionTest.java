package io.parley.projections.account;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccountProjectionTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase db;
    private AccountProjection projection;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create("mongodb://" + server.bindAndGetConnectionString().replace("mongodb://", ""));
        db = client.getDatabase("test");
        projection = new AccountProjection(db);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    private void apply(Object event) {
        if (event instanceof AccountRegistered e) {
            projection.on(e);
        } else if (event instanceof UserBlocked e) {
            projection.on(e);
        } else if (event instanceof UserUnblocked e) {
            projection.on(e);
        } else {
            throw new IllegalArgumentException(event.toString());
        }
    }

    private AccountDocument account(String id) {
        return new AccountViews(db).account(id).orElseThrow();
    }

    @Test
    void buildsTheProfileAndAppliesEachEventIdempotently() {
        var registered = new AccountRegistered("a1", "alice", "Alice", EnumSet.of(Role.USER), T);
        var privacy = new PrivacyChanged("a1", LastSeenVisibility.NOBODY, T);
        var device = new DeviceRegistered("a1", "d1", DevicePlatform.ANDROID, "tok", T);
        var blocked = new UserBlocked("a1", "b1", T);
        for (int i = 0; i < 2; i++) {
            projection.on(registered);
            projection.on(privacy);
            projection.on(device);
            projection.on(blocked);
        }
        AccountDocument doc = account("a1");
        assertThat(doc.handle()).isEqualTo("alice");
        assertThat(doc.displayName()).isEqualTo("Alice");
        assertThat(doc.roles()).containsExactly(Role.USER);
        assertThat(doc.lastSeen()).isEqualTo(LastSeenVisibility.NOBODY);
        assertThat(doc.devices().get("d1").token()).isEqualTo("tok");
        assertThat(doc.blocked()).isEqualTo(List.of(new AccountDocument.Block("b1", T)));

        projection.on(new DeviceRemoved("a1", "d1", "USER", T));
        projection.on(new DeviceRemoved("a1", "d1", "USER", T));
        assertThat(account("a1").devices()).isEmpty();
    }

    @Test
    void blocksKeepTheirTimeOldestFirstAndEachEventAppliesTwiceAsOnce() {
        var registered = new AccountRegistered("a2", "ann", "Ann", EnumSet.of(Role.USER), T);
        Instant later = T.plusSeconds(60);
        Object[] events = {registered, new UserBlocked("a2", "b1", T), new UserBlocked("a2", "c1", T),
                new UserUnblocked("a2", "b1", later), new UserBlocked("a2", "b1", later.plusSeconds(1))};
        for (Object event : events) {
            for (int i = 0; i < 2; i++) {
                apply(event);
            }
        }
        AccountDocument doc = account("a2");
        assertThat(doc.blocked()).containsExactly(new AccountDocument.Block("c1", T),
                new AccountDocument.Block("b1", later.plusSeconds(1)));
        assertThat(doc.blocks("c1")).isTrue();
        apply(new UserUnblocked("a2", "c1", later));
        apply(new UserUnblocked("a2", "c1", later));
        assertThat(account("a2").blocked()).extracting(AccountDocument.Block::userId).containsExactly("b1");
    }

    @Test
    void aDocumentFromBeforeBlockTimesReadsItsBlocksWithoutATime() {
        db.getCollection("accounts").insertOne(new org.bson.Document("_id", "a3").append("handle", "old")
                .append("displayName", "Old").append("roles", List.of("USER")).append("lastSeen", "EVERYONE")
                .append("devices", new org.bson.Document()).append("blocked", List.of("b9")));
        assertThat(account("a3").blocked()).containsExactly(new AccountDocument.Block("b9", null));
        projection.on(new UserUnblocked("a3", "b9", T));
        assertThat(account("a3").blocked()).isEmpty();
    }
}
