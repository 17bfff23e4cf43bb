package io.parley.projections.search;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The message index ({@code chat.search.index.*}). Nested under {@code chat.search} but in a prefix of its own:
 * the embedded-stack launcher owns {@code chat.search.url}, {@code chat.search.heap} and their siblings.
 *
 * @param alias              read alias every query goes through; a rebuild fills a new concrete index and
 *                           moves this alias when it has caught up, so searches never see a half-built index
 * @param writeAlias         alias the projection writes through (points at the index being built)
 * @param indexPrefix        concrete indexes are {@code <prefix><generation>}: messages-v1, messages-v2, ...
 * @param refreshInterval    how soon an indexed message becomes searchable (Elasticsearch's refresh interval);
 *                           the bulk flush itself happens at the end of every Axon batch
 * @param maxBulkOperations  upper bound of operations in one {@code _bulk} request; a larger Axon batch is split
 * @param maxPendingReceipts per conversation, how many messages still waiting for a delivered/read watermark
 *                           are remembered; beyond it the oldest lose their latency figure instead of growing
 *                           one document without bound (a conversation nobody ever opens)
 * @param membershipCacheTtl how long the query side trusts its cached view of which index the read alias names
 */
@ConfigurationProperties("chat.search.index")
public record SearchIndexProperties(@DefaultValue("messages") String alias,
                                    @DefaultValue("messages-write") String writeAlias,
                                    @DefaultValue("messages-v") String indexPrefix,
                                    @DefaultValue("1s") String refreshInterval,
                                    @DefaultValue("5000") int maxBulkOperations,
                                    @DefaultValue("10000") int maxPendingReceipts,
                                    @DefaultValue("5s") Duration membershipCacheTtl) {
}
