package io.parley.gateway.distributed;

import io.parley.api.account.Role;
import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.command.account.AccountDirectory;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.stack.ChatStackProperties;
import io.parley.embedded.stack.EmbeddedStack;
import io.parley.embedded.spring.EmbeddedStackStarter;
import io.parley.gateway.app.GatewayApplication;
import io.parley.query.presence.PresenceDirectory;
import io.parley.gateway.support.Api;
import io.parley.projections.batching.PacedTokenStore;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.distributed.RoutingStrategy;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.QueryBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code distributed} profile started for real, as far as this machine allows (no Axon Server can run here:
 * README, "Several nodes"): its own PostgreSQL, MongoDB wire server (over TCP) and Elasticsearch node are started
 * by the test and handed to the application as external URLs, the Axon Server connector points at a loopback
 * port where nothing listens. The context must come up on those servers without starting any of its own, wired
 * to Axon Server for commands, queries and events, with the PostgreSQL parts (dead letters, handle claims) it
 * keeps beside Axon Server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedContextIT {

    private EmbeddedStack servers;
    private EmbeddedStack.PostgresConnection pg;
    private ConfigurableApplicationContext context;
    private Path nodeDir;

    @BeforeAll
    void start() throws Exception {
        Path dir = Path.of("target", "it-data", "distributed-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(dir);
        int searchPort = LoopbackPorts.choose(0, "search");
        servers = new EmbeddedStack(new Binder(new MapConfigurationPropertySource(Map.of(
                "chat.data-dir", dir.resolve("servers").toString(),
                "chat.search.port", String.valueOf(searchPort),
                "chat.search.heap", "320m")))
                .bindOrCreate("chat", ChatStackProperties.class)).begin();
        pg = servers.awaitPostgres();
        servers.elasticsearchReadiness().whenReady().get();
        nodeDir = dir.resolve("node");

        int nothingListens = LoopbackPorts.choose(0, "axonserver");
        // as command-line arguments: they take precedence over the profile's defaults, as the deployment's do
        Map<String, String> arguments = Map.ofEntries(
                        Map.entry("server.port", "0"),
                        Map.entry("spring.jmx.enabled", "false"),
                        Map.entry("chat.data-dir", nodeDir.toString()),
                        Map.entry("axon.axonserver.servers", "127.0.0.1:" + nothingListens),
                        Map.entry("chat.postgres.url", pg.jdbcUrl()),
                        Map.entry("chat.postgres.username", pg.username()),
                        Map.entry("chat.postgres.password", pg.password()),
                        Map.entry("chat.mongo.uri", servers.mongoConnectionString()),
                        Map.entry("chat.search.url", "http://127.0.0.1:" + searchPort),
                        Map.entry("chat.security.jwt-secret", Base64.getEncoder().encodeToString(
                                "the distributed test's signing key, 32+ bytes".getBytes(StandardCharsets.US_ASCII))),
                        Map.entry("chat.privacy.master-key", Base64.getEncoder().encodeToString(
                                "the distributed test master key!".getBytes(StandardCharsets.US_ASCII))),
                        // no first admin: creating it is a command, and no Axon Server would route it
                        Map.entry("chat.security.admin-password", ""));
        String[] args = arguments.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);

        // A first start fills the tables kept beside the events (blocks, media_files) from the event history, read
        // from Axon Server: unreachable, the start fails rather than create them empty (they would stay wrong)
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).profiles("distributed").run(args))
                .hasStackTraceContaining("Event Stream has been closed");
        assertThat(tableExists("blocks")).as("not created without its history").isFalse();
        assertThat(tableExists("media_files")).isFalse();

        // a deployment that has them (as after its first start) starts with Axon Server away
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE blocks (
                        blocker_id TEXT NOT NULL,
                        blocked_id TEXT NOT NULL,
                        PRIMARY KEY (blocker_id, blocked_id)
                    )""");
            // the tables only need to exist for the start (what a first start fills them with is not used here)
            statement.execute("CREATE TABLE media_files (media_id TEXT PRIMARY KEY)");
        }
        context = new SpringApplicationBuilder(GatewayApplication.class).profiles("distributed").run(args);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        if (servers != null) {
            servers.destroy();
        }
    }

    @Test
    void commandsQueriesAndEventsGoThroughAxonServer() {
        assertThat(context.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(context.getBeansOfType(EventStorageEngine.class).values())
                .as("no JDBC event storage engine beside Axon Server").noneMatch(engine ->
                        engine.getClass().getName().contains("Jdbc"));
        assertThat(context.getBean("axonServerCommandBus", CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
        assertThat(context.getBean(QueryBus.class)).isInstanceOf(AxonServerQueryBus.class);
        // Axon Server routes a command by its aggregate: every command for one conversation reaches the same node
        RoutingStrategy routing = context.getBean(RoutingStrategy.class);
        String conversation = UUID.randomUUID().toString();
        assertThat(routing.getRoutingKey(GenericCommandMessage.asCommandMessage(
                new SendMessage(conversation, "someone", "c-1", "hi", null, null)))).isEqualTo(conversation);
        TokenStore tokens = context.getBean(TokenStore.class);
        assertThat(tokens).isInstanceOf(PacedTokenStore.class);
        assertThat(((PacedTokenStore) tokens).delegate()).as("tokens beside the read models")
                .isInstanceOf(MongoTokenStore.class);
        // what the nodes share beside Axon Server: presence in PostgreSQL, as in the cluster profile
        assertThat(context.getBean(PresenceDirectory.class).getClass().getSimpleName()).isEqualTo("PostgresPresenceDirectory");
    }

    @Test
    void noEmbeddedServerIsStarted() {
        EmbeddedStack stack = context.getBean(EmbeddedStackStarter.BEAN_NAME, EmbeddedStack.class);
        assertThat(stack.embeddedPostgres()).isNull();
        assertThat(stack.embeddedElasticsearch()).isNull();
        assertThat(stack.embeddedMongo()).isNull();
        assertThat(stack.parts()).isEmpty();
        assertThat(ProcessHandle.current().descendants()
                .map(process -> process.info().commandLine().orElse(""))
                .filter(command -> command.contains(nodeDir.toString())))
                .as("no process started on the node's data directory").isEmpty();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        // the node answers, and tells its load balancer it is down while Axon Server is away
        assertThat(new Api(port).get("/actuator/health", null).status()).isEqualTo(503);
        HealthComponent health = context.getBean(HealthEndpoint.class).health();
        Map<String, HealthComponent> parts = ((CompositeHealth) health).getComponents();
        assertThat(parts.entrySet().stream().filter(part -> part.getValue().getStatus().equals(Status.DOWN))
                .map(Map.Entry::getKey)).containsExactly("axonServer");
    }

    @Test
    void deadLettersLiveInPostgresql() throws Exception {
        EventProcessingConfiguration processing = context.getBean(EventProcessingConfiguration.class);
        for (String processor : List.of("conversation-views", "message-search", "account-views")) {
            assertThat(processing.deadLetterQueue(processor)).as(processor).get()
                    .isInstanceOf(JdbcSequencedDeadLetterQueue.class);
        }
        String table = context.getBean(DeadLetterSchema.class).deadLetterTable();
        assertThat(tableExists(table)).as("the dead-letter table " + table).isTrue();
    }

    @Test
    void aHandleIsClaimedBeforeTheEventAndReleasedWhenTheCommandFails() throws Exception {
        AccountDirectory directory = context.getBean(AccountDirectory.class);
        String handle = "claim-" + UUID.randomUUID().toString().substring(0, 8);
        String accountId = UUID.randomUUID().toString();

        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        directory.claim(handle, accountId, "{noop}x", Set.of(Role.USER));
        assertThat(handleOwner(handle)).as("the claim commits on its own, visible to every node before the event")
                .isEqualTo(accountId);
        unitOfWork.rollback(new IllegalStateException("the event was not stored"));
        assertThat(handleOwner(handle)).as("released by the compensation").isNull();

        // a successful command keeps its claim, and the unique constraint refuses the handle to anyone else
        DefaultUnitOfWork<?> second = DefaultUnitOfWork.startAndGet(null);
        directory.claim(handle, accountId, "{noop}x", Set.of(Role.USER));
        second.commit();
        assertThat(handleOwner(handle)).isEqualTo(accountId);
        assertThatThrownBy(() ->
                        directory.claim(handle, UUID.randomUUID().toString(), "{noop}y", Set.of(Role.USER)))
                .hasMessageContaining("already taken");
        assertThat(handleOwner(handle)).isEqualTo(accountId);
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    private boolean tableExists(String table) throws Exception {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private String handleOwner(String handle) throws Exception {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("SELECT account_id FROM handles WHERE handle = ?")) {
            query.setString(1, handle);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
