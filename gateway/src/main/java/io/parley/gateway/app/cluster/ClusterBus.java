package io.parley.gateway.app.cluster;

import java.util.function.Consumer;

/**
 * Short notes between the nodes (typing, presence changes): fire and forget, best effort, each delivered to
 * every other node's subscribers of its channel, never back to the node that published it. With one node
 * ({@link #NONE}) there is nobody to tell.
 */
public interface ClusterBus {

    ClusterBus NONE = new ClusterBus() {
        @Override
        public void publish(String channel, String payload) {
        }

        @Override
        public void subscribe(String channel, Consumer<String> listener) {
        }
    };

    void publish(String channel, String payload);

    /** {@code listener} runs on the bus's own thread: it must hand over anything slow. */
    void subscribe(String channel, Consumer<String> listener);
}
