package io.parley.gateway.app.cluster;

import io.parley.query.presence.PresenceDirectory;
import io.parley.query.presence.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Presence shared by every node, in PostgreSQL: {@code presence_nodes} holds each node's heartbeat (renewed every
 * {@code chat.cluster.heartbeat-interval}, in the database's clock, so the nodes' clocks do not matter) and
 * {@code presence_sessions} a row per (user, node) while the user has a session there. A user is online while a
 * row of theirs belongs to a node whose heartbeat is younger than {@code chat.cluster.presence-ttl}: a node killed
 * with users connected stops counting for them within the TTL, without anyone cleaning up first. Each heartbeat
 * also sweeps: the node whose {@code DELETE} removes a dead node's rows (one does, atomically) tells every node
 * about those users, so their contacts see them go offline. Both tables are {@code UNLOGGED}: presence is
 * rebuilt by the next heartbeats and connects after a PostgreSQL crash, so it needs no WAL.
 * <p>
 * Reads answer "online here" from memory first; only a user with no session on this node costs a query (a push
 * decision, a presence request).
 */
final class PostgresPresenceDirectory implements PresenceDirectory, DisposableBean {

    static final String CHANNEL = "parley_presence";
    private static final Logger log = LoggerFactory.getLogger(PostgresPresenceDirectory.class);

    private final JdbcTemplate jdbc;
    private final SessionRegistry sessions;
    private final ClusterBus bus;
    private final String nodeId;
    private final double ttlSeconds;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-heartbeat");
        t.setDaemon(true);
        return t;
    });

    PostgresPresenceDirectory(JdbcTemplate jdbc, SessionRegistry sessions, ClusterBus bus, ClusterProperties properties) {
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.bus = bus;
        this.nodeId = properties.nodeId();
        this.ttlSeconds = properties.presenceTtl().toMillis() / 1000.0;
        jdbc.execute("CREATE UNLOGGED TABLE IF NOT EXISTS presence_nodes (node_id TEXT PRIMARY KEY,"
                + " heartbeat_at TIMESTAMPTZ NOT NULL)");
        jdbc.execute("CREATE UNLOGGED TABLE IF NOT EXISTS presence_sessions (user_id TEXT NOT NULL,"
                + " node_id TEXT NOT NULL, PRIMARY KEY (user_id, node_id))");
        beat();
        bus.subscribe(CHANNEL, userId -> listeners.forEach(l -> l.accept(userId)));
        long every = properties.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beatAndSweep, every, every, TimeUnit.MILLISECONDS);
        log.info("Presence shared through PostgreSQL as node {} (heartbeat {}, dead after {})", nodeId,
                properties.heartbeatInterval(), properties.presenceTtl());
    }

    @Override
    public boolean isOnline(String userId) {
        if (sessions.isOnline(userId)) {
            return true;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM presence_sessions s"
                + " JOIN presence_nodes n ON n.node_id = s.node_id"
                + " WHERE s.user_id = ? AND n.heartbeat_at > now() - make_interval(secs => ?))",
                Boolean.class, userId, ttlSeconds));
    }

    @Override
    public void changedHere(String userId, boolean online) {
        if (online) {
            jdbc.update("INSERT INTO presence_sessions (user_id, node_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    userId, nodeId);
        } else {
            jdbc.update("DELETE FROM presence_sessions WHERE user_id = ? AND node_id = ?", userId, nodeId);
        }
        bus.publish(CHANNEL, userId);
    }

    @Override
    public void onChangeElsewhere(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Nodes (this one included) whose last heartbeat is at most {@code withinSeconds} old; at least 1. */
    int liveNodes(double withinSeconds) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM presence_nodes WHERE heartbeat_at > now()"
                + " - make_interval(secs => ?)", Integer.class, withinSeconds);
        return n == null || n < 1 ? 1 : n;
    }

    private void beat() {
        jdbc.update("INSERT INTO presence_nodes (node_id, heartbeat_at) VALUES (?, now())"
                + " ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()", nodeId);
    }

    private void beatAndSweep() {
        try {
            beat();
            List<String> dead = jdbc.queryForList("DELETE FROM presence_nodes WHERE heartbeat_at < now()"
                    + " - make_interval(secs => ?) RETURNING node_id", String.class, ttlSeconds);
            for (String node : dead) {
                List<String> users = jdbc.queryForList("DELETE FROM presence_sessions WHERE node_id = ?"
                        + " RETURNING user_id", String.class, node);
                log.info("Node {} stopped beating: {} of its users no longer online through it", node, users.size());
                for (String userId : users) {
                    bus.publish(CHANNEL, userId);
                    listeners.forEach(l -> l.accept(userId));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Presence heartbeat failed: {}", e.toString());
        }
    }

    /** A clean stop: this node's users go offline here at once instead of after the TTL. */
    @Override
    public void destroy() {
        heartbeat.shutdownNow();
        try {
            List<String> users = jdbc.queryForList("DELETE FROM presence_sessions WHERE node_id = ? RETURNING user_id",
                    String.class, nodeId);
            jdbc.update("DELETE FROM presence_nodes WHERE node_id = ?", nodeId);
            users.forEach(userId -> bus.publish(CHANNEL, userId));
        } catch (RuntimeException e) {
            log.warn("Presence of node {} not removed at stop (it expires by itself): {}", nodeId, e.toString());
        }
    }
}
