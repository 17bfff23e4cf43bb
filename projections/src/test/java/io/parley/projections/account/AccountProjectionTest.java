package io.parley.projections.account;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.privacy.PersonalDataCipher;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.DisplayNameChanged;
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
    void aDisplayNameChangeReplacesTheNameEveryReaderShowsAndAReplayEndsOnTheLatest() {
        var registered = new AccountRegistered("a1", "alice", "Alice", EnumSet.of(Role.USER), T);
        var first = new DisplayNameChanged("a1", "Alice L.", T.plusSeconds(1));
        var second = new DisplayNameChanged("a1", "Alice Liddell", T.plusSeconds(2));
        for (int i = 0; i < 2; i++) {
            projection.on(registered);
            projection.on(first);
            projection.on(second);
        }
        AccountDocument doc = account("a1");
        assertThat(doc.displayName()).isEqualTo("Alice Liddell");
        assertThat(doc.handle()).isEqualTo("alice");
        assertThat(new AccountViews(db).accounts(List.of("a1"))).extracting(AccountDocument::displayName)
                .containsExactly("Alice Liddell");
        assertThat(db.getCollection("accounts").countDocuments()).isEqualTo(1);
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
    void aDeletedAccountKeepsItsIdAndBlocksButNoNameHandleOrPushToken() {
        for (int i = 0; i < 2; i++) {
            projection.on(new AccountRegistered("a3", "zed", "Zed Zanzibar", EnumSet.of(Role.USER), T));
            projection.on(new DeviceRegistered("a3", "d1", DevicePlatform.IOS, "push-token-zed", T));
            projection.on(new UserBlocked("a3", "b1", T));
            projection.on(new AccountDeleted("a3", T.plusSeconds(5)));
        }
        AccountDocument doc = account("a3");
        assertThat(doc.handle()).isEqualTo(PersonalDataCipher.ERASED);
        assertThat(doc.displayName()).isEqualTo(PersonalDataCipher.ERASED);
        assertThat(doc.devices()).isEmpty();
        assertThat(doc.blocks("b1")).isTrue();
        assertThat(db.getCollection("accounts").find().first().toJson()).doesNotContain("Zanzibar")
                .doesNotContain("push-token-zed").doesNotContain("zed\"");
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

    @Test
    void thePeopleFinderMatchesHandleOrDisplayNameWordPrefixesAndHidesTheRequesterBlockersAndHidden() {
        for (int i = 0; i < 2; i++) {
            projection.on(new AccountRegistered("me", "annie", "Annie Me", EnumSet.of(Role.USER), T));
            projection.on(new AccountRegistered("u1", "andrew", "Drew Smith", EnumSet.of(Role.USER), T));
            projection.on(new AccountRegistered("u2", "zed", "Anna Zed", EnumSet.of(Role.USER), T));
            projection.on(new AccountRegistered("u3", "bob", "Bob Anders", EnumSet.of(Role.USER), T));
            projection.on(new AccountRegistered("u4", "carl", "Carl Danson", EnumSet.of(Role.USER), T));
            projection.on(new AccountRegistered("u5", "anton", "Anton", EnumSet.of(Role.USER), T));
            projection.on(new AccountRegistered("u6", "ann.x", "Dot (an) y+", EnumSet.of(Role.USER), T));
            projection.on(new UserBlocked("u5", "me", T));
        }
        AccountViews views = new AccountViews(db);
        // handle prefix (andrew), display-name word prefixes (Anna, Anders) in either case, never a mid-word match
        // (Danson), never the requester (annie) nor whoever blocked them (anton); ordered by handle
        assertThat(views.findable("AN", "me", List.of(), 20)).extracting(AccountDocument::id)
                .containsExactly("u1", "u6", "u3", "u2");
        assertThat(views.findable("an", "me", List.of("u3"), 20)).extracting(AccountDocument::id)
                .containsExactly("u1", "u6", "u2");
        assertThat(views.findable("an", "me", List.of(), 2)).hasSize(2);
        // what the user types is text, not a pattern
        assertThat(views.findable("ann.", "me", List.of(), 20)).extracting(AccountDocument::id).containsExactly("u6");
        assertThat(views.findable("a.", "me", List.of(), 20)).isEmpty();
        assertThat(views.findable("(an", "me", List.of(), 20)).extracting(AccountDocument::id).containsExactly("u6");
        assertThat(views.findable(".*", "me", List.of(), 20)).isEmpty();
        // the block of someone else does not hide anyone from me
        projection.on(new UserBlocked("u2", "u1", T));
        assertThat(views.findable("zed", "me", List.of(), 20)).extracting(AccountDocument::id).containsExactly("u2");
    }
}
