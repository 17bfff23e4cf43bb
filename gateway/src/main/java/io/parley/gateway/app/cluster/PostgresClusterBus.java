package io.parley.gateway.app.cluster;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The nodes' bus on PostgreSQL's LISTEN/NOTIFY: the database every node already shares, so no broker of its own.
 * A notification reaches every session listening on its channel once its transaction commits (here: at once,
 * {@code pg_notify} outside a transaction); payloads are at most 8,000 bytes, which typing and presence notes never
 * approach. One connection per node listens, on a thread of its own; it is opened again after PostgreSQL was
 * away (notes sent meanwhile are lost: typing and presence are best effort, and a client's next connect or the
 * presence sweep puts presence right). Each payload carries the publishing node's id, so a node skips its own.
 */
final class PostgresClusterBus implements ClusterBus, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PostgresClusterBus.class);
    private static final char SEPARATOR = '|';

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final String nodeId;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    /** Channels subscribed since the listening connection last issued its LISTENs. */
    private final Set<String> toListen = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    PostgresClusterBus(DataSource dataSource, String nodeId) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.nodeId = nodeId;
        this.thread = new Thread(this::listen, "cluster-bus");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void publish(String channel, String payload) {
        try {
            jdbc.queryForObject("SELECT pg_notify(?, ?)::text", String.class, channel, nodeId + SEPARATOR + payload);
        } catch (RuntimeException e) {
            log.debug("Cluster note on {} not sent: {}", channel, e.toString());
        }
    }

    @Override
    public void subscribe(String channel, Consumer<String> listener) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
        toListen.add(channel);
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                toListen.addAll(listeners.keySet());
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    for (String channel : List.copyOf(toListen)) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("LISTEN " + channel);
                        }
                        toListen.remove(channel);
                    }
                    PGNotification[] notes = pg.getNotifications(250);
                    if (notes != null) {
                        for (PGNotification note : notes) {
                            deliver(note.getName(), note.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Cluster bus connection lost ({}); listening again in 1 s", e.toString());
                    sleep(1000);
                }
            }
        }
    }

    private void deliver(String channel, String raw) {
        int at = raw.indexOf(SEPARATOR);
        if (at < 0 || raw.substring(0, at).equals(nodeId)) {
            return;
        }
        String payload = raw.substring(at + 1);
        for (Consumer<String> listener : listeners.getOrDefault(channel, List.of())) {
            try {
                listener.accept(payload);
            } catch (RuntimeException e) {
                log.warn("Cluster note on {} not handled: {}", channel, e.toString());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
    }
}
