package io.parley.embedded.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The development servers of several nodes: PostgreSQL, Elasticsearch and the MongoDB wire server (in-memory
 * backend with checkpoints, as in the embedded default), started as the embedded stack starts them, but on
 * their own, for N application JVMs to share over TCP ({@code --spring.profiles.active=cluster}). Prints their
 * addresses as environment assignments and writes them to {@code <data-dir>/dev-servers.env}; runs until the
 * JVM is stopped (SIGTERM or Ctrl-C stop PostgreSQL and Elasticsearch; the MongoDB checkpoint is written).
 * Arguments are {@code --chat.*=value} settings of the stack (e.g. {@code --chat.data-dir=./data-dev},
 * {@code --chat.postgres.port=15432}, {@code --chat.mongo.port=27017}, {@code --chat.search.port=19200}).
 * Loopback only: for nodes on one machine (or network namespaces routed to it), not a production deployment.
 */
public final class DevServers {

    private DevServers() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("chat.data-dir", "./data-dev");
        for (String arg : args) {
            if (arg.startsWith("--chat.") && arg.contains("=")) {
                settings.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        ChatStackProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("chat", ChatStackProperties.class);
        EmbeddedStack stack = new EmbeddedStack(properties).begin();
        EmbeddedStack.PostgresConnection pg = stack.awaitPostgres();
        String search = stack.elasticsearchReadiness().await();
        String env = addresses(pg, stack.mongoConnectionString(), search);
        Path file = properties.dataDir().resolve("dev-servers.env");
        writeAtomically(file, env);
        System.out.print(env);
        System.out.println("# written to " + file.toAbsolutePath() + "; stop with Ctrl-C or SIGTERM");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The settings a cluster node needs, as {@code KEY=value} lines its shell can source. */
    static String addresses(EmbeddedStack.PostgresConnection pg, String mongoUri, String searchUrl) {
        return "CHAT_POSTGRES_URL=" + pg.jdbcUrl() + "\n"
                + "CHAT_POSTGRES_USERNAME=" + pg.username() + "\n"
                + "CHAT_POSTGRES_PASSWORD=" + pg.password() + "\n"
                + "CHAT_MONGO_URI=" + mongoUri + "\n"
                + "CHAT_SEARCH_URL=" + searchUrl + "\n";
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
