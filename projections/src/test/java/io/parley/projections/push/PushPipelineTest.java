package io.parley.projections.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.zaxxer.hikari.HikariDataSource;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.api.account.AccountCommands.RemoveDevice;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.postgres.EmbeddedPostgres;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.Role;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The push pipeline as the processor runs it, without Spring: events in, the real Firebase Admin SDK out, against a
 * stand-in FCM server on a loopback port; the directory in an in-memory MongoDB server through the real driver, the
 * outbox in a real PostgreSQL (the embedded stack's, one database per test).
 */
class PushPipelineTest {

    /** long enough that 20 messages 100 ms apart fit in it even on a loaded build machine */
    private static final Duration WINDOW = Duration.ofSeconds(5);

    @TempDir
    static Path keys;
    private static FakeFcm fcmServer;
    private static MongoServer mongoServer;
    private static MongoClient mongo;
    private static EmbeddedPostgres postgres;

    private MongoDatabase database;
    private HikariDataSource outboxDatabase;
    private JdbcTemplate jdbc;
    private PushProperties properties;
    private FcmClient fcm;
    private PushDirectory directory;
    private PushOutbox outbox;
    private PushProcessor processor;
    private final Set<String> online = ConcurrentHashMap.newKeySet();
    private final CommandGateway commands = mock(CommandGateway.class);

    @BeforeAll
    static void servers() {
        fcmServer = FakeFcm.start();
        mongoServer = new MongoServer(new MemoryBackend());
        mongo = MongoClients.create(mongoServer.bindAndGetConnectionString());
        postgres = new EmbeddedPostgres(postgresDirectory(), LoopbackPorts.choose(0, "test"), "parley",
                Duration.ofSeconds(120), Duration.ofSeconds(20), new ChildProcessLauncher()).start();
    }

    /** Under target/, reachable by the unprivileged user PostgreSQL runs as when the build runs as root. */
    private static Path postgresDirectory() {
        try {
            Path root = Files.createDirectories(Path.of("target", "it-data").toAbsolutePath());
            Path dir = Files.createTempDirectory(root, "push-pg");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir.resolve("postgres");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopServers() {
        mongo.close();
        mongoServer.shutdown();
        postgres.stop();
        fcmServer.close();
    }

    @BeforeEach
    void start() throws SQLException {
        database = mongo.getDatabase("push-" + UUID.randomUUID());
        String outboxDb = "push_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = postgres.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + outboxDb);
        }
        outboxDatabase = new HikariDataSource();
        outboxDatabase.setJdbcUrl(postgres.jdbcUrl(outboxDb));
        outboxDatabase.setUsername(EmbeddedPostgres.SUPERUSER);
        outboxDatabase.setMaximumPoolSize(3);
        jdbc = new JdbcTemplate(outboxDatabase);
        properties = new PushProperties(fcmServer.writeServiceAccount(keys), FakeFcm.PROJECT_ID, fcmServer.endpoint(),
                WINDOW, 40, Duration.ofMinutes(15), Duration.ofSeconds(10),
                new PushProperties.Retry(Duration.ofMillis(200), 2.0, Duration.ofMillis(800), 5));
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(null));
        startNode();
    }

    /** One run of the application's push part; a second call on the same databases is a restart. */
    private void startNode() {
        fcm = new FcmClient(properties);
        directory = new PushDirectory(database);
        outbox = new PushOutbox(jdbc, directory, fcm, commands, online::contains, properties, Clock.systemUTC());
        outbox.recover().join();
        processor = new PushProcessor(directory, outbox, fcm, online::contains, properties, Clock.systemUTC());
    }

    private void stopNode() {
        outbox.close();
        fcm.destroy();
    }

    @AfterEach
    void stop() {
        stopNode();
        outboxDatabase.close();
    }

    @Test
    void anOfflineRecipientGetsOneRequestPerDeviceAndTheSenderNone() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String annPhone = device(ann, DevicePlatform.ANDROID);
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String bobTablet = device(bob, DevicePlatform.IOS);
        String chat = direct(ann, bob);

        processor.on(message(chat, 1, ann, "Are we still on for lunch tomorrow?"));

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1 && fcmServer.requests(bobTablet).size() == 1);
        Thread.sleep(300);
        assertThat(fcmServer.requests(bobPhone)).hasSize(1);
        assertThat(fcmServer.requests(bobTablet)).hasSize(1);
        assertThat(fcmServer.requests(annPhone)).isEmpty();

        JsonNode sent = fcmServer.requests(bobPhone).get(0).message();
        assertThat(sent.path("token").asText()).isEqualTo(bobPhone);
        assertThat(sent.path("notification").path("title").asText()).isEqualTo("Ann");
        assertThat(sent.path("notification").path("body").asText()).isEqualTo("Are we still on for lunch tomorrow?");
        assertThat(sent.path("data").path("conversationId").asText()).isEqualTo(chat);
        assertThat(sent.path("data").path("seq").asText()).isEqualTo("1");
        assertThat(sent.path("android").path("collapse_key").asText()).isEqualTo(chat);
        assertThat(sent.path("android").path("notification").path("tag").asText()).isEqualTo(chat);
        assertThat(sent.path("apns").path("headers").path("apns-collapse-id").asText()).isEqualTo(chat);
        assertThat(sent.path("apns").path("payload").path("aps").path("thread-id").asText()).isEqualTo(chat);
        assertThat(sent.path("webpush").path("headers").path("Topic").asText()).isEqualTo(chat.replace("-", ""));
        assertThat(fcmServer.requests(bobTablet).get(0).message().path("notification").path("title").asText())
                .isEqualTo("Ann");
    }

    @Test
    void previewsAreCutAndMediaIsNamed() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.WEB);
        String group = group("Hiking", ann, bob);

        processor.on(message(group, 1, ann, "x".repeat(100)));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1);
        JsonNode notification = fcmServer.requests(bobPhone).get(0).message().path("notification");
        assertThat(notification.path("title").asText()).isEqualTo("Ann @ Hiking");
        assertThat(notification.path("body").asText()).isEqualTo("x".repeat(39) + "…");

        String other = group("Photos", ann, bob);
        processor.on(new MessageSent(other, 1, UUID.randomUUID().toString(), "c1", ann, MessageType.IMAGE, null,
                new MediaRef("m1", MediaKind.IMAGE, "image/png", 10, 1, 1, "a.png", true), null, Instant.now()));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2);
        assertThat(fcmServer.requests(bobPhone).get(1).message().path("notification").path("body").asText())
                .isEqualTo("Photo");
    }

    @Test
    void anOnlineRecipientGetsNone() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        online.add(bob);

        processor.on(message(chat, 1, ann, "hi"));

        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).isEmpty();
    }

    @Test
    void aMutedConversationGetsNoneUntilUnmuted() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        processor.on(new ConversationMuted(chat, bob, null, Instant.now()));

        processor.on(message(chat, 1, ann, "psst"));
        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).isEmpty();

        processor.on(new ConversationMuted(chat, bob, Instant.now().minusSeconds(1), Instant.now().minusSeconds(60)));
        processor.on(message(chat, 2, ann, "mute expired"));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 1);

        processor.on(new ConversationMuted(chat, bob, Instant.now().plusSeconds(3600), Instant.now()));
        processor.on(new ConversationUnmuted(chat, bob, Instant.now()));
        assertThat(directory.conversation(chat).orElseThrow().mutedBy(bob, Instant.now())).isFalse();
    }

    @Test
    void twentyMessagesInTwoSecondsMakeOneNotificationPerDeviceInTheWindowThenOneSummary() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String cid = user("Cid");
        String dee = user("Dee");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String cidPhone = device(cid, DevicePlatform.IOS);
        String deePhone = device(dee, DevicePlatform.ANDROID);
        String group = group("Busy", ann, bob, cid, dee);
        online.add(dee);

        Instant first = Instant.now();
        for (int seq = 1; seq <= 20; seq++) {
            processor.on(message(group, seq, ann, "message " + seq));
            Thread.sleep(100);
        }
        assertThat(Duration.between(first, Instant.now())).as("the burst fits in one window").isLessThan(WINDOW);
        Instant windowEnd = first.plus(WINDOW);
        for (String token : List.of(bobPhone, cidPhone)) {
            List<FakeFcm.Request> inWindow = fcmServer.requests(token).stream()
                    .filter(r -> r.at().isBefore(windowEnd.minusMillis(200))).toList();
            assertThat(inWindow).hasSize(1);
            assertThat(inWindow.get(0).message().path("notification").path("body").asText()).isEqualTo("message 1");
        }

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2 && fcmServer.requests(cidPhone).size() == 2);
        for (String token : List.of(bobPhone, cidPhone)) {
            JsonNode summary = fcmServer.requests(token).get(1).message();
            assertThat(summary.path("notification").path("body").asText()).isEqualTo("20 new messages");
            assertThat(summary.path("notification").path("title").asText()).isEqualTo("Ann @ Busy");
            assertThat(summary.path("data").path("count").asText()).isEqualTo("20");
            assertThat(summary.path("data").path("seq").asText()).isEqualTo("20");
            assertThat(summary.path("android").path("collapse_key").asText()).isEqualTo(group);
        }
        assertThat(fcmServer.requests(deePhone)).isEmpty();
        Thread.sleep(WINDOW.toMillis());
        assertThat(fcmServer.requests(bobPhone)).hasSize(2);
    }

    @Test
    void anUnregisteredAnswerRemovesTheToken() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String dead = device(bob, DevicePlatform.ANDROID);
        String alive = device(bob, DevicePlatform.IOS);
        fcmServer.script(dead, 404);
        String chat = direct(ann, bob);

        processor.on(message(chat, 1, ann, "hello"));

        verify(commands, timeout(5_000)).send(new RemoveDevice(bob, deviceIdOf(dead), "UNREGISTERED"));
        assertThat(fcmServer.accepted(alive)).hasSize(1);
        Thread.sleep(WINDOW.toMillis() + 500);
        assertThat(fcmServer.requests(dead)).hasSize(1);
    }

    @Test
    void anInvalidTokenAnswerRemovesTheToken() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bad = device(bob, DevicePlatform.WEB);
        fcmServer.script(bad, 400);

        processor.on(message(direct(ann, bob), 1, ann, "hello"));

        verify(commands, timeout(5_000)).send(new RemoveDevice(bob, deviceIdOf(bad), "INVALID_ARGUMENT"));
    }

    @Test
    void aServiceUnavailableAnswerIsRetriedAndSucceedsWithoutHoldingUpOthers() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String cid = user("Cid");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String cidPhone = device(cid, DevicePlatform.ANDROID);
        fcmServer.script(bobPhone, 503, 503);

        long start = System.nanoTime();
        processor.on(message(group("Retry", ann, bob, cid), 1, ann, "important"));
        long handledMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(fcmServer.accepted(cidPhone)).hasSize(1);
        assertThat(handledMillis).as("the processor does not wait for the retries").isLessThan(2_000);
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);
        List<FakeFcm.Request> attempts = fcmServer.requests(bobPhone);
        assertThat(attempts).extracting(FakeFcm.Request::status).containsExactly(503, 503, 200);
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        assertThat(attempts.get(2).message().path("notification").path("body").asText()).isEqualTo("important");
    }

    @Test
    void aQuotaAnswerIsRetried() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        fcmServer.script(bobPhone, 429);

        processor.on(message(direct(ann, bob), 1, ann, "later"));

        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);
        assertThat(fcmServer.requests(bobPhone)).extracting(FakeFcm.Request::status).containsExactly(429, 200);
    }

    @Test
    void aRestartDoesNotPushTheSameMessageAgain() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        MessageSent first = message(chat, 1, ann, "once only");
        processor.on(first);
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);

        // the node dies before the processor's token is stored: after the restart the event comes again
        stopNode();
        startNode();
        Thread.sleep(WINDOW.toMillis());
        processor.on(first);

        Thread.sleep(WINDOW.toMillis() + 500);
        assertThat(fcmServer.requests(bobPhone)).hasSize(1);

        processor.on(message(chat, 2, ann, "a new one"));
        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2);
        assertThat(fcmServer.requests(bobPhone).get(1).message().path("notification").path("body").asText())
                .isEqualTo("a new one");
    }

    @Test
    void aSummaryWaitingAtRestartIsSentByTheNextRun() throws Exception {
        String ann = user("Ann");
        String bob = user("Bob");
        String bobPhone = device(bob, DevicePlatform.ANDROID);
        String chat = direct(ann, bob);
        processor.on(message(chat, 1, ann, "one"));
        processor.on(message(chat, 2, ann, "two"));
        processor.on(message(chat, 3, ann, "three"));
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);

        stopNode();
        startNode();

        awaitTrue(() -> fcmServer.requests(bobPhone).size() == 2);
        assertThat(fcmServer.requests(bobPhone).get(1).message().path("notification").path("body").asText())
                .isEqualTo("3 new messages");
        // once the answer is recorded nothing is left waiting
        awaitTrue(() -> jdbc.queryForObject("SELECT count(*) FROM push_schedule", Long.class) == 0);
    }

    @Test
    void aPushAlreadySentIsNotSentAgainWhenTheReadModelStoreLosesItsLastSeconds() throws Exception {
        String ann = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String bobPhone = "token-" + UUID.randomUUID();
        String chat = UUID.randomUUID().toString();
        AccountRegistered annRegistered = new AccountRegistered(ann, "ann" + ann.substring(0, 6), "Ann",
                Set.of(Role.USER), Instant.now());
        AccountRegistered bobRegistered = new AccountRegistered(bob, "bob" + bob.substring(0, 6), "Bob",
                Set.of(Role.USER), Instant.now());
        DeviceRegistered phone = new DeviceRegistered(bob, deviceIdOf(bobPhone), DevicePlatform.ANDROID, bobPhone,
                Instant.now());
        DirectConversationStarted started = new DirectConversationStarted(chat, List.of(ann, bob), ann, Instant.now());
        MessageSent first = message(chat, 1, ann, "one");
        Runnable history = () -> {
            processor.on(annRegistered);
            processor.on(bobRegistered);
            processor.on(phone);
            processor.on(started);
        };
        history.run();
        processor.on(first);
        awaitTrue(() -> fcmServer.accepted(bobPhone).size() == 1);

        // the embedded MongoDB came back from an older checkpoint: the processor's views are gone and it replays
        // the tail, this message included, as live events
        stopNode();
        database = mongo.getDatabase("push-" + UUID.randomUUID());
        startNode();
        history.run();
        processor.on(first);

        Thread.sleep(500);
        assertThat(fcmServer.requests(bobPhone)).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    private String user(String name) {
        String id = UUID.randomUUID().toString();
        processor.on(new AccountRegistered(id, name.toLowerCase() + id.substring(0, 6), name, Set.of(Role.USER),
                Instant.now()));
        return id;
    }

    /** Registers a device and answers its token (unique per test, so tests never see each other's requests). */
    private String device(String userId, DevicePlatform platform) {
        String token = "token-" + UUID.randomUUID();
        processor.on(new DeviceRegistered(userId, "d-" + token, platform, token, Instant.now()));
        return token;
    }

    private static String deviceIdOf(String token) {
        return "d-" + token;
    }

    private String direct(String a, String b) {
        String id = UUID.randomUUID().toString();
        processor.on(new DirectConversationStarted(id, List.of(a, b), a, Instant.now()));
        return id;
    }

    private String group(String title, String creator, String... members) {
        String id = UUID.randomUUID().toString();
        processor.on(new GroupCreated(id, title, creator, List.of(members), Instant.now()));
        return id;
    }

    private static MessageSent message(String conversationId, long seq, String sender, String text) {
        return new MessageSent(conversationId, seq, UUID.randomUUID().toString(), "c" + seq, sender, MessageType.TEXT,
                text, null, null, Instant.now());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(25);
        }
    }
}
