package io.parley.embedded.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.parley.embedded.Directories;
import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.elasticsearch.ElasticsearchDistribution;
import io.parley.embedded.elasticsearch.EmbeddedElasticsearch;
import io.parley.embedded.mongo.EmbeddedMongo;
import io.parley.embedded.postgres.EmbeddedPostgres;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.embedded.process.LinuxProcesses;
import io.parley.embedded.process.LogTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.StringUtils;

/**
 * Owns the embedded stack. {@link #begin()} starts PostgreSQL and Elasticsearch on background threads (ports
 * are chosen up front so clients can be built at once) and MongoDB in-process; {@link #awaitPostgres()} and
 * {@link #elasticsearchReadiness()} wait for them. A JVM shutdown hook stops the children even if the Spring
 * context is never closed. Parts configured with an external URL are not started.
 * <p>
 * Once started, PostgreSQL and Elasticsearch are supervised ({@link SupervisedChild}, {@code chat.supervision}):
 * one that dies while the application runs is restarted on the same data directory and port (PostgreSQL then
 * runs its crash recovery, Elasticsearch its translog recovery), and {@link #parts()} tells its state and how
 * often that happened. {@link #stop()} ends supervision first: nothing is restarted once the stop began.
 */
public final class EmbeddedStack implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

    /** How to reach PostgreSQL. */
    public record PostgresConnection(String jdbcUrl, String username, String password) {
    }

    /** Part names in {@link #parts()}, logs, health and metrics. */
    public static final String POSTGRES = "postgres";
    public static final String ELASTICSEARCH = "elasticsearch";

    /**
     * One embedded child as its supervisor sees it.
     *
     * @param part      {@value #POSTGRES} or {@value #ELASTICSEARCH}
     * @param state     {@code STARTING} (first start under way), {@code RUNNING}, {@code RESTARTING} (died, being
     *                  restarted) or {@code STOPPED}
     * @param pid       the server's pid, -1 when none runs
     * @param port      its loopback port (HTTP for Elasticsearch)
     * @param crashes   unexpected exits noticed while the application ran
     * @param restarts  successful restarts after those
     * @param lastCrash when the last one was noticed, or null
     */
    public record PartStatus(String part, String state, long pid, int port, long crashes, long restarts,
                             Instant lastCrash) {
        public boolean running() {
            return "RUNNING".equals(state);
        }
    }

    private final ChatStackProperties properties;
    private final ChildProcessLauncher launcher = new ChildProcessLauncher();
    private final ElasticsearchReadiness readiness;
    private final CompletableFuture<PostgresConnection> postgresReady = new CompletableFuture<>();
    private final Thread shutdownHook = new Thread(this::stopFromHook, "parley-embedded-stack-shutdown");
    private volatile EmbeddedPostgres postgres;
    private volatile EmbeddedElasticsearch elasticsearch;
    private volatile EmbeddedMongo mongo;
    private volatile String elasticsearchUrl;
    private volatile String mongoUri;
    private volatile SupervisedChild postgresSupervisor;
    private volatile SupervisedChild elasticsearchSupervisor;
    private volatile boolean begun;
    private volatile boolean stopped;

    public EmbeddedStack(ChatStackProperties properties) {
        this.properties = properties;
        this.readiness = new ElasticsearchReadiness(properties.search().startTimeout());
    }

    public ChatStackProperties properties() {
        return properties;
    }

    /** Starts what is embedded: validates the data directory, then kicks off the children. Call once. */
    public synchronized EmbeddedStack begin() {
        if (begun) {
            return this;
        }
        begun = true;
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        ChatStackProperties.Postgres pg = properties.postgres();
        ChatStackProperties.Search search = properties.search();
        ChatStackProperties.Mongo mg = properties.mongo();
        boolean anyEmbedded = !StringUtils.hasText(pg.url()) || !StringUtils.hasText(search.url())
                || !StringUtils.hasText(mg.uri());
        if (anyEmbedded) {
            Directories.ensureWritable(dataDir, "chat.data-dir");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        // PostgreSQL
        if (StringUtils.hasText(pg.url())) {
            log.info("PostgreSQL: using the external server {} (chat.postgres.url)", pg.url());
            postgresReady.complete(new PostgresConnection(pg.url(), pg.username(), pg.password()));
        } else {
            int port = LoopbackPorts.choose(pg.port(), "chat.postgres.port");
            postgres = new EmbeddedPostgres(dataDir.resolve("postgres"), port, pg.database(), pg.startTimeout(),
                    pg.stopTimeout(), launcher);
            EmbeddedPostgres supervised = postgres;
            postgresSupervisor = new SupervisedChild(POSTGRES, supervised::isRunning, supervised::pid,
                    supervised::start, () -> LogTail.of(supervised.logFile(), 20), properties.supervision());
            background("parley-postgres-start", () -> {
                try {
                    EmbeddedPostgres p = postgres;
                    if (stopped) {
                        throw new EmbeddedStackException("PostgreSQL start aborted: the application is stopping");
                    }
                    p.start();
                    if (stopped) {
                        p.stop();
                    } else {
                        postgresSupervisor.watch();
                    }
                    postgresReady.complete(new PostgresConnection(p.jdbcUrl(), EmbeddedPostgres.SUPERUSER, ""));
                } catch (Throwable t) {
                    postgresReady.completeExceptionally(t);
                }
            });
        }

        // Elasticsearch
        if (StringUtils.hasText(search.url())) {
            // a cluster is listed node by node (comma-separated): the client spreads requests over all of them
            // and skips one that is down, so start-up needs any one of them to answer
            elasticsearchUrl = String.join(",", elasticsearchNodes(search.url()));
            log.info("Elasticsearch: using the external cluster {} (chat.search.url)", elasticsearchUrl);
            background("parley-elasticsearch-probe", () -> {
                long deadline = System.nanoTime() + search.startTimeout().toNanos();
                while (!stopped && System.nanoTime() < deadline) {
                    for (String node : elasticsearchNodes(elasticsearchUrl)) {
                        if (EmbeddedElasticsearch.healthy(node)) {
                            readiness.complete(elasticsearchUrl);
                            return;
                        }
                    }
                    sleep(500);
                }
                readiness.fail(new EmbeddedStackException("The external Elasticsearch " + elasticsearchUrl
                        + " did not answer /_cluster/health within " + search.startTimeout().toSeconds() + " s"));
            });
        } else {
            int http = LoopbackPorts.choose(search.port(), "chat.search.port");
            int transport = LoopbackPorts.choose(0, "transport");
            while (transport == http) {
                transport = LoopbackPorts.choose(0, "transport");
            }
            Path zip = ElasticsearchDistribution.locate(search.distribution());
            elasticsearch = new EmbeddedElasticsearch(dataDir.resolve("elasticsearch"), http, transport,
                    search.heap(), zip, search.startTimeout(), search.stopTimeout(), launcher);
            elasticsearchUrl = elasticsearch.url();
            EmbeddedElasticsearch supervised = elasticsearch;
            elasticsearchSupervisor = new SupervisedChild(ELASTICSEARCH,
                    () -> supervised.pid() > 0 && LinuxProcesses.isAlive(supervised.pid()), supervised::pid,
                    supervised::start, () -> LogTail.of(supervised.logFile(), 20), properties.supervision());
            background("parley-elasticsearch-start", () -> {
                try {
                    EmbeddedElasticsearch es = elasticsearch;
                    if (stopped) {
                        throw new EmbeddedStackException("Elasticsearch start aborted: the application is stopping");
                    }
                    es.start();
                    if (stopped) {
                        es.stop();
                    } else {
                        elasticsearchSupervisor.watch();
                    }
                    readiness.complete(es.url());
                } catch (Throwable t) {
                    log.error("Elasticsearch failed to start: {}", t.getMessage());
                    readiness.fail(t);
                }
            });
        }

        // MongoDB (in-process and quick)
        if (StringUtils.hasText(mg.uri())) {
            mongoUri = mg.uri();
            log.info("MongoDB: using the external server (chat.mongo.uri)");
        } else {
            mongo = new EmbeddedMongo(dataDir.resolve("mongo"), mg.port(), mg.checkpointInterval()).start();
            mongoUri = mongo.connectionString();
        }
        return this;
    }

    private static void background(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until PostgreSQL accepts connections (bounded by {@code chat.postgres.start-timeout}). */
    public PostgresConnection awaitPostgres() {
        Duration timeout = properties.postgres().startTimeout().plusSeconds(30);
        try {
            return postgresReady.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new EmbeddedStackException("PostgreSQL did not become ready within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new EmbeddedStackException("PostgreSQL failed to start: " + c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStackException("Interrupted while waiting for PostgreSQL", e);
        }
    }

    public ElasticsearchReadiness elasticsearchReadiness() {
        return readiness;
    }

    /** The Elasticsearch base URL (known before the node is up); an external cluster's nodes comma-separated. */
    public String elasticsearchUrl() {
        return elasticsearchUrl;
    }

    /** The base URLs of a comma-separated list, without trailing slashes or blanks. */
    public static List<String> elasticsearchNodes(String urls) {
        List<String> nodes = new ArrayList<>();
        for (String url : urls.split(",")) {
            if (!url.isBlank()) {
                nodes.add(url.trim().replaceAll("/+$", ""));
            }
        }
        return nodes;
    }

    public String mongoConnectionString() {
        return mongoUri;
    }

    /** The embedded parts, or {@code null} when external / not started. */
    public EmbeddedPostgres embeddedPostgres() {
        return postgres;
    }

    public EmbeddedElasticsearch embeddedElasticsearch() {
        return elasticsearch;
    }

    public EmbeddedMongo embeddedMongo() {
        return mongo;
    }

    /** The supervised children (embedded PostgreSQL and Elasticsearch; none for a part that is external). */
    public List<PartStatus> parts() {
        List<PartStatus> parts = new ArrayList<>(2);
        EmbeddedPostgres pg = postgres;
        if (pg != null) {
            parts.add(status(postgresSupervisor, pg.port(), postgresReady.isDone()));
        }
        EmbeddedElasticsearch es = elasticsearch;
        if (es != null) {
            parts.add(status(elasticsearchSupervisor, es.httpPort(), readiness.whenReady().isDone()));
        }
        return parts;
    }

    private PartStatus status(SupervisedChild child, int port, boolean started) {
        String state = stopped ? "STOPPED" : !started ? "STARTING" : child.state().name();
        if ("RUNNING".equals(state) && child.pid() < 0) {
            // the first start failed (the application is failing start-up) or the part was stopped
            state = "STOPPED";
        }
        return new PartStatus(child.part(), state, child.pid(), port, child.crashes(), child.restarts(),
                child.lastCrash());
    }

    /** Stops Elasticsearch and PostgreSQL (in parallel), then MongoDB. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        // supervision ends first: a child this stop ends must not be restarted
        List<SupervisedChild> supervisors = new ArrayList<>();
        for (SupervisedChild s : new SupervisedChild[] {postgresSupervisor, elasticsearchSupervisor}) {
            if (s != null) {
                s.close();
                supervisors.add(s);
            }
        }
        EmbeddedElasticsearch es = elasticsearch;
        Thread esStop = null;
        if (es != null) {
            esStop = new Thread(es::stop, "parley-elasticsearch-stop");
            esStop.start();
        }
        EmbeddedPostgres pg = postgres;
        if (pg != null) {
            pg.stop();
        }
        if (esStop != null) {
            try {
                esStop.join(properties.search().stopTimeout().plusSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a restart that was under way is aborted by the stops above; once its thread ended, stop again whatever
        // it may have launched after the first stop looked (each stop is idempotent)
        for (SupervisedChild s : supervisors) {
            s.awaitClosed(Duration.ofSeconds(10));
        }
        if (pg != null && pg.isRunning()) {
            pg.stop();
        }
        if (es != null && es.pid() > 0 && LinuxProcesses.isAlive(es.pid())) {
            es.stop();
        }
        EmbeddedMongo m = mongo;
        if (m != null) {
            m.stop();
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // shutting down already, or never registered
            }
        }
    }

    private void stopFromHook() {
        if (!stopped) {
            log.info("JVM shutdown: stopping the embedded stack");
            stop();
        }
    }

    @Override
    public void destroy() {
        stop();
    }
}
