package io.parley.projections.push;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.zaxxer.hikari.HikariDataSource;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.postgres.EmbeddedPostgres;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.Role;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The push pipeline as the processor runs it, without Spring: events in, the real Firebase Admin SDK out, against a
 * stand-in FCM server on a loopback port; the directory in an in-memory MongoDB server through the real driver, the
 * outbox in a real PostgreSQL (the embedded stack's, one database per test).
 * (Shared by the push pipeline tests: delivery rules in {@link PushPipelineTest}, FCM answers and restarts in
 * {@link PushAnswersAndRestartsTest}.)
 */
abstract class PushPipelineHarness {

    /** long enough that 20 messages 100 ms apart fit in it even on a loaded build machine */
    static final Duration WINDOW = Duration.ofSeconds(5);

    @TempDir
    static Path keys;
    static FakeFcm fcmServer;
    static MongoServer mongoServer;
    static MongoClient mongo;
    static EmbeddedPostgres postgres;

    MongoDatabase database;
    HikariDataSource outboxDatabase;
    JdbcTemplate jdbc;
    PushProperties properties;
    FcmClient fcm;
    PushDirectory directory;
    PushOutbox outbox;
    PushProcessor processor;
    final Set<String> online = ConcurrentHashMap.newKeySet();
    final CommandGateway commands = mock(CommandGateway.class);

    @BeforeAll
    static void servers() {
        fcmServer = FakeFcm.start();
        mongoServer = new MongoServer(new MemoryBackend());
        mongo = MongoClients.create(mongoServer.bindAndGetConnectionString());
        postgres = new EmbeddedPostgres(postgresDirectory(), LoopbackPorts.choose(0, "test"), "parley",
                Duration.ofSeconds(120), Duration.ofSeconds(20), new ChildProcessLauncher()).start();
    }

    /** Under target/, reachable by the unprivileged user PostgreSQL runs as when the build runs as root. */
    static Path postgresDirectory() {
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
    void startNode() {
        fcm = new FcmClient(properties);
        directory = new PushDirectory(database);
        outbox = new PushOutbox(jdbc, directory, fcm, commands, online::contains, properties, Clock.systemUTC());
        outbox.recover().join();
        processor = new PushProcessor(directory, outbox, fcm, online::contains, properties, Clock.systemUTC());
    }

    void stopNode() {
        outbox.close();
        fcm.destroy();
    }

    @AfterEach
    void stop() {
        stopNode();
        outboxDatabase.close();
    }

    String user(String name) {
        String id = UUID.randomUUID().toString();
        processor.on(new AccountRegistered(id, name.toLowerCase() + id.substring(0, 6), name, Set.of(Role.USER),
                Instant.now()));
        return id;
    }

    /** Registers a device and answers its token (unique per test, so tests never see each other's requests). */
    String device(String userId, DevicePlatform platform) {
        String token = "token-" + UUID.randomUUID();
        processor.on(new DeviceRegistered(userId, "d-" + token, platform, token, Instant.now()));
        return token;
    }

    static String deviceIdOf(String token) {
        return "d-" + token;
    }

    String direct(String a, String b) {
        String id = UUID.randomUUID().toString();
        processor.on(new DirectConversationStarted(id, List.of(a, b), a, Instant.now()));
        return id;
    }

    String group(String title, String creator, String... members) {
        String id = UUID.randomUUID().toString();
        processor.on(new GroupCreated(id, title, creator, List.of(members), Instant.now()));
        return id;
    }

    static MessageSent message(String conversationId, long seq, String sender, String text) {
        return new MessageSent(conversationId, seq, UUID.randomUUID().toString(), "c" + seq, sender, MessageType.TEXT,
                text, null, null, Instant.now());
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(25);
        }
    }
}
