package io.parley.gateway.embedded;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded stack: {@code chat.data-dir} and the groups {@code chat.postgres}, {@code chat.mongo},
 * {@code chat.search}. Other {@code chat.*} groups belong to other classes (unknown fields are ignored).
 */
@ConfigurationProperties(prefix = "chat")
public class ChatStackProperties {

    /** Root of everything the embedded stack stores (PostgreSQL, MongoDB file, Elasticsearch). */
    private Path dataDir = Path.of("./data");

    private final Postgres postgres = new Postgres();
    private final Mongo mongo = new Mongo();
    private final Search search = new Search();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    public Mongo getMongo() {
        return mongo;
    }

    public Search getSearch() {
        return search;
    }

    public static class Postgres {
        /** JDBC URL of an external server; when set, no embedded PostgreSQL is started. */
        private String url;
        private String username = "postgres";
        private String password = "";
        /** Port of the embedded server; 0 = a free port. */
        private int port = 0;
        /** Database created (if missing) in the embedded server and used by the application. */
        private String database = "parley";
        /** Hikari maximum pool size. */
        private int poolSize = 20;
        /** How long the embedded server may take to start (initdb included). */
        private Duration startTimeout = Duration.ofSeconds(60);
        /** How long a fast shutdown (SIGINT) may take before SIGKILL. */
        private Duration stopTimeout = Duration.ofSeconds(20);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        public Duration getStartTimeout() {
            return startTimeout;
        }

        public void setStartTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
        }

        public Duration getStopTimeout() {
            return stopTimeout;
        }

        public void setStopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
        }
    }

    public static class Mongo {
        /** Connection string of an external MongoDB; when set, no embedded server is started. */
        private String uri;
        /** Port of the embedded server; 0 = a free port. */
        private int port = 0;
        private String database = "parley";

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }
    }

    public static class Search {
        /** URL of an external Elasticsearch cluster (e.g. http://localhost:9200); when set, nothing is started. */
        private String url;
        /** HTTP port of the embedded node; 0 = a free port. */
        private int port = 0;
        /** The integ-test zip; default: found beside the application or in the local Maven repository. */
        private Path distribution;
        /** Heap of the embedded node (-Xms = -Xmx). */
        private String heap = "384m";
        /** How long the application waits for the node before start-up fails. */
        private Duration startTimeout = Duration.ofSeconds(300);
        /** How long a SIGTERM shutdown may take before SIGKILL. */
        private Duration stopTimeout = Duration.ofSeconds(30);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public Path getDistribution() {
            return distribution;
        }

        public void setDistribution(Path distribution) {
            this.distribution = distribution;
        }

        public String getHeap() {
            return heap;
        }

        public void setHeap(String heap) {
            this.heap = heap;
        }

        public Duration getStartTimeout() {
            return startTimeout;
        }

        public void setStartTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
        }

        public Duration getStopTimeout() {
            return stopTimeout;
        }

        public void setStopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
        }
    }
}
