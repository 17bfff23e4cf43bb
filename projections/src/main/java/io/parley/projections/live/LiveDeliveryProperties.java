package io.parley.projections.live;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live delivery ({@code chat.live.*}).
 *
 * @param source               where live frames come from: {@code commit} (the default: events this node
 *                             stored, handed over right after their transaction commits) or {@code stream}
 *                             (a tracking processor on the event stream: every node's events, for several
 *                             nodes sharing one event store)
 * @param threads              with {@code commit}: threads delivering frames; events of one conversation keep
 *                             their order on one thread at a time
 * @param batchSize            with {@code stream}: events the processor takes per unit of work when behind
 * @param membershipCacheSize  conversations whose member lists a node keeps in memory for routing
 */
@ConfigurationProperties("chat.live")
public record LiveDeliveryProperties(@DefaultValue("commit") Source source,
                                     @DefaultValue("2") int threads,
                                     @DefaultValue("100") int batchSize,
                                     @DefaultValue("100000") long membershipCacheSize) {

    public enum Source { COMMIT, STREAM }

    public LiveDeliveryProperties {
        if (threads < 1) {
            throw new IllegalArgumentException("chat.live.threads must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("chat.live.batch-size must be positive");
        }
    }
}
