package io.parley.gateway.web.admin;

import io.parley.gateway.web.Problems;
import io.parley.projections.replay.ReplayRefused;
import io.parley.projections.replay.ReplayStatus;
import io.parley.projections.replay.Replays;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilding projections from the event store while the current views keep serving (role ADMIN; README,
 * "Replay"). A replay runs in the background; its status is polled.
 */
@RestController
@RequestMapping("/api/admin/replay")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class ReplayController {

    private final Replays replays;

    ReplayController(Replays replays) {
        this.replays = replays;
    }

    /** {@code processors} null or absent: every rebuildable processor. */
    record ReplayRequest(List<String> processors) {
    }

    record Processors(Set<String> processors) {
    }

    @GetMapping
    @Operation(summary = "The processors a replay can rebuild")
    Processors processors() {
        return new Processors(replays.processors());
    }

    @PostMapping
    @Operation(summary = "Start rebuilding the given processors (all when null) beside the live views; 202 with its id")
    ResponseEntity<Map<String, String>> start(@RequestBody(required = false) ReplayRequest request) {
        try {
            ReplayStatus status = replays.start(request == null ? null : request.processors());
            return ResponseEntity.accepted().body(Map.of("id", status.id()));
        } catch (ReplayRefused e) {
            throw switch (e.reason()) {
                case UNKNOWN_PROCESSOR -> Problems.exception(HttpStatus.BAD_REQUEST, "unknown-processor", e.getMessage());
                case ALREADY_RUNNING -> Problems.exception(HttpStatus.CONFLICT, "replay-running", e.getMessage());
            };
        }
    }

    @GetMapping("/{id}")
    @Operation(summary = "Progress of a replay: events done and total, events/s, ETA, state")
    ReplayStatus status(@PathVariable String id) {
        return replays.status(id).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "unknown-replay",
                "No replay has the id " + id));
    }
}
