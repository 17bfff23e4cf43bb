package io.parley.gateway.app.cluster;

import io.parley.projections.live.LiveDeliveryConfiguration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Spreads the tracking processors' segments over the live nodes. Claims themselves are Axon's (the shared token
 * store: a node processes a segment only while it holds its claim, renewed with every batch; a claim older than
 * the claim timeout, as a killed node's, is taken by whichever node tries next). What Axon does not do by itself
 * is give a segment back: the first node up claims every segment and keeps them. Every
 * {@code chat.cluster.balance-interval} this node compares, per processor, the segments it holds with its fair
 * share (segments / live nodes, rounded up) and releases one above it for a while, long enough for another node
 * to claim it first. The per-node live-delivery processor (token in memory) has nothing to share and is skipped.
 */
final class SegmentBalancer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final PostgresPresenceDirectory nodes;
    private final long intervalMillis;
    private final double beatingWithinSeconds;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "segment-balancer");
        t.setDaemon(true);
        return t;
    });

    SegmentBalancer(EventProcessingConfiguration processing, TokenStore tokenStore, PostgresPresenceDirectory nodes,
                    ClusterProperties properties) {
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.nodes = nodes;
        this.intervalMillis = properties.balanceInterval().toMillis();
        this.beatingWithinSeconds = properties.heartbeatInterval().toMillis() * 2 / 1000.0;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        timer.scheduleWithFixedDelay(this::balance, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void balance() {
        try {
            // Alive for sharing means a heartbeat within two intervals, not the presence TTL: a node killed a few
            // seconds ago still counts as present for its users' sessions, but the segments its claims lost (taken
            // over here after the claim timeout) must not be released for it. Erring this way only delays sharing.
            int live = nodes.liveNodes(beatingWithinSeconds);
            for (Map.Entry<String, ?> entry : processing.eventProcessors().entrySet()) {
                // live delivery runs on every node from the head; a replay's rebuilding processors are short-lived
                if (entry.getValue() instanceof TrackingEventProcessor processor && processor.isRunning()
                        && !processor.getName().equals(LiveDeliveryConfiguration.PROCESSING_GROUP)
                        && !processor.getName().contains("@")) {
                    balance(processor, live);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Segment balancing skipped: {}", e.toString());
        }
    }

    private void balance(TrackingEventProcessor processor, int live) {
        int total = tokenStore.fetchSegments(processor.getName()).length;
        int fair = (total + live - 1) / live;
        Map<Integer, ?> held = processor.processingStatus();
        if (held.size() > fair) {
            int segment = held.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
            log.info("{}: holding {} of {} segments with {} nodes alive; releasing segment {}", processor.getName(),
                    held.size(), total, live, segment);
            // for one balance interval: long enough for another node (claiming every token-claim-interval) to take
            // it, short enough that this node takes it back soon should nobody else
            processor.releaseSegment(segment, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
