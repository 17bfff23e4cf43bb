package io.parley.gateway.app.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.UUID;

/**
 * Several application nodes on one PostgreSQL, MongoDB and Elasticsearch ({@code chat.cluster.*}, set by the
 * {@code cluster} profile; README, "Several nodes").
 *
 * @param enabled            whether this node shares presence, typing and command retries with other nodes
 * @param nodeId             this node's name in the shared presence table; default: a fresh id per start, so a
 *                           restarted node never inherits the sessions its previous life left behind
 * @param heartbeatInterval  how often this node renews its presence heartbeat (and sweeps dead nodes)
 * @param presenceTtl        a node whose heartbeat is older than this is dead: its users' sessions stop counting
 * @param commandRetries     how often a command that lost an append race to another node (the same aggregate
 *                           sequence stored first there) is run again on the fresh state
 * @param balanceInterval    how often a node compares the segments it holds with its fair share and releases
 *                           the excess for the other nodes to claim
 */
@ConfigurationProperties("chat.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled,
                                String nodeId,
                                @DefaultValue("2s") Duration heartbeatInterval,
                                @DefaultValue("10s") Duration presenceTtl,
                                @DefaultValue("5") int commandRetries,
                                @DefaultValue("5s") Duration balanceInterval) {

    public ClusterProperties {
        nodeId = nodeId == null || nodeId.isBlank() ? "node-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || presenceTtl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("chat.cluster.presence-ttl must be at least twice the heartbeat interval");
        }
        if (commandRetries < 0) {
            throw new IllegalArgumentException("chat.cluster.command-retries must not be negative");
        }
    }
}
