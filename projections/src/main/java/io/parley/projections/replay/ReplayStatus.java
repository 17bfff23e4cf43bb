package io.parley.projections.replay;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/admin/replay/{id}} answers. {@code eventsDone} is the position the slowest rebuilding
 * processor has reached, {@code eventsTotal} the head of the event store as last seen (it grows while live
 * traffic flows); rate and ETA are over the whole run so far.
 */
public record ReplayStatus(String id, List<String> processors, ReplayState state, long eventsDone, long eventsTotal,
                           double eventsPerSecond, Long etaSeconds, Instant startedAt, Instant finishedAt,
                           String error) {
}
