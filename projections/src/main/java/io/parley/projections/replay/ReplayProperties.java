package io.parley.projections.replay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Replays ({@code chat.replay.*}, README "Replay").
 *
 * @param batchSize           events per batch of a rebuilding processor (larger than live: a replay has no
 *                            latency to keep, and every batch is one bulk write per view)
 * @param progressLogInterval how often a running replay logs its progress
 * @param retireDelay         how long replaced views stay after the swap before they are dropped: the query side
 *                            caches which search generation it reads for a few seconds
 *                            ({@code chat.search.index.membership-cache-ttl})
 * @param collectionPrefix    the rebuild of group {@code g} writes collection {@code c} as
 *                            {@code <prefix><g>__<c>} in the live database (hyphens of g as underscores)
 */
@ConfigurationProperties("chat.replay")
public record ReplayProperties(@DefaultValue("1000") int batchSize,
                               @DefaultValue("5s") Duration progressLogInterval,
                               @DefaultValue("15s") Duration retireDelay,
                               @DefaultValue("rebuild_") String collectionPrefix) {
}
