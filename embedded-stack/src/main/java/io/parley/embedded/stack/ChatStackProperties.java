package io.parley.embedded.stack;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded stack: {@code chat.data-dir} and the groups {@code chat.postgres}, {@code chat.mongo},
 * {@code chat.search}, {@code chat.supervision}. Other {@code chat.*} groups belong to other classes (unknown
 * fields are ignored).
 * A part configured with an external URL ({@code chat.postgres.url}, {@code chat.mongo.uri},
 * {@code chat.search.url}) is not started: that is what the {@code distributed} profile does for all three.
 *
 * @param dataDir root of everything the embedded stack stores (PostgreSQL, MongoDB checkpoint, Elasticsearch);
 *                default {@code ./data}
 */
@ConfigurationProperties(prefix = "chat")
public record ChatStackProperties(
        Path dataDir,
        @DefaultValue Postgres postgres,
        @DefaultValue Mongo mongo,
        @DefaultValue Search search,
        @DefaultValue Supervision supervision) {

    /**
     * The one default not given as a {@link DefaultValue}: Spring's path conversion normalises
     * {@code "./data"} to {@code data}, and the default stays exactly what it always was.
     */
    private static final Path DEFAULT_DATA_DIR = Path.of("./data");

    public ChatStackProperties {
        dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
    }

    /**
     * The defaults of every setting: binding nothing, so that the {@link DefaultValue}s above stay the only
     * place they are written.
     */
    public static ChatStackProperties defaults() {
        return new Binder().bindOrCreate("chat", ChatStackProperties.class);
    }

    /**
     * @param url          JDBC URL of an external server; when set, no embedded PostgreSQL is started
     * @param port         port of the embedded server; 0 = a free port
     * @param database     database created (if missing) in the embedded server and used by the application
     * @param poolSize     Hikari maximum pool size
     * @param startTimeout how long the embedded server may take to start (initdb included)
     * @param stopTimeout  how long a fast shutdown (SIGINT) may take before SIGKILL
     * @param connectionTimeout how long a request waits for a pooled connection (Hikari's
     *                     {@code connectionTimeout}) before it fails: short, so that while the server is down
     *                     (restarting after a crash) a send is refused within seconds instead of hanging
     */
    public record Postgres(
            String url,
            @DefaultValue("postgres") String username,
            @DefaultValue("") String password,
            @DefaultValue("0") int port,
            @DefaultValue("parley") String database,
            @DefaultValue("20") int poolSize,
            @DefaultValue("60s") Duration startTimeout,
            @DefaultValue("20s") Duration stopTimeout,
            @DefaultValue("3s") Duration connectionTimeout) {
    }

    /**
     * @param uri      connection string of an external MongoDB; when set, no embedded server is started
     * @param port     port of the embedded server; 0 = a free port
     * @param database the database the application uses
     * @param checkpointInterval how often the embedded server's checkpoint is written while something changes
     *                 (one is also written at shutdown); 0 = at shutdown only
     */
    public record Mongo(
            String uri,
            @DefaultValue("0") int port,
            @DefaultValue("parley") String database,
            @DefaultValue("5s") Duration checkpointInterval) {
    }

    /**
     * @param url          URL of an external Elasticsearch cluster (e.g. http://localhost:9200); when set,
     *                     nothing is started
     * @param port         HTTP port of the embedded node; 0 = a free port
     * @param distribution the integ-test zip; default: found beside the application or in the local Maven
     *                     repository
     * @param heap         heap of the embedded node (-Xms = -Xmx)
     * @param startTimeout how long the application waits for the node before start-up fails
     * @param stopTimeout  how long a SIGTERM shutdown may take before SIGKILL
     */
    public record Search(
            String url,
            @DefaultValue("0") int port,
            Path distribution,
            @DefaultValue("384m") String heap,
            @DefaultValue("300s") Duration startTimeout,
            @DefaultValue("30s") Duration stopTimeout) {
    }

    /**
     * Supervision of the embedded children (PostgreSQL, Elasticsearch): one that exits while the application runs
     * (not during its stop) is restarted on the same data directory and port; attempts wait {@code initialBackoff},
     * doubling after each failed attempt and each crash soon after a restart, up to {@code maxBackoff}.
     *
     * @param enabled        whether a crashed child is restarted at all
     * @param checkInterval  how often each child is checked (its process alive, not a zombie)
     * @param initialBackoff the wait before the first restart attempt
     * @param maxBackoff     the longest wait between attempts
     */
    public record Supervision(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("250ms") Duration checkInterval,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("10s") Duration maxBackoff) {
    }
}
