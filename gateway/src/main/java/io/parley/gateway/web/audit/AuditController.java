package io.parley.gateway.web.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.api.account.AccountIds;
import io.parley.gateway.web.Problems;
import io.parley.projections.audit.ChainLinks;
import io.parley.projections.audit.ChainVerifier;
import io.parley.query.audit.AuditLog;
import io.parley.query.audit.AuditPage;
import io.parley.query.audit.AuditQuery;
import io.parley.query.audit.ConversationAsOf;
import io.parley.query.audit.InvalidAuditQueryException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.parley.projections.audit.AuditChainConfiguration;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The auditors' API (role AUDITOR only; README, "Audit"): the event history as the event store holds it, its
 * NDJSON export, a conversation as it stood at an instant, and the verification of the audit chain. Every call
 * is itself recorded ({@link AuditTrail}) once its parameters are valid, before it is answered.
 */
@RestController
@Conditional(AuditChainConfiguration.JdbcEventStore.class)
@RequestMapping("/api/audit")
@PreAuthorize("hasRole('AUDITOR')")
@Tag(name = "audit")
class AuditController {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final AuditLog log;
    private final ChainVerifier verifier;
    private final ChainLinks links;
    private final AuditTrail trail;
    private final ObjectMapper json;
    private final Clock clock;

    AuditController(AuditLog log, ChainVerifier verifier, ChainLinks links, AuditTrail trail, ObjectMapper json, Clock clock) {
        this.log = log;
        this.verifier = verifier;
        this.links = links;
        this.trail = trail;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The verification as the issue names it, plus where the head is, what broke, what is not chained yet and, when
     * asked for with {@code position}, the link there: an auditor who noted a head earlier compares it with the
     * link now at that position, which a verified chain recomputed from the stored rows.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Verified(boolean verified, long events, String head, Long headPosition, Long firstBrokenPosition,
                    String problem, long pending, Link link) {
    }

    record Link(long position, long n, String hash) {
    }

    @GetMapping("/events")
    @Operation(summary = "Events of the event store in global order, filtered; pages by the opaque nextCursor")
    AuditPage events(@AuthenticationPrincipal Jwt jwt,
                     @RequestParam(required = false) String conversationId,
                     @RequestParam(required = false) String userId,
                     @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to,
                     @RequestParam(required = false) String types,
                     @RequestParam(required = false) String after,
                     @RequestParam(defaultValue = "100") int limit) {
        AuditQuery query = AuditQuery.parse(conversationId, userId, from, to, types, after);
        AuditLog.checkLimit(limit);
        Map<String, String> given = filters(conversationId, userId, from, to, types, after);
        given.put("limit", Integer.toString(limit));
        trail.record(jwt.getSubject(), "GET /api/audit/events", AuditQuery.asGiven(given));
        return log.events(query, limit);
    }

    /**
     * The same filters as {@code /events}, every match, one JSON entry per line. Streamed from the store chunk by
     * chunk as it is written, so memory stays one chunk whatever the size (spring.mvc.async.request-timeout lets
     * it run as long as it takes).
     */
    @GetMapping("/export")
    @Operation(summary = "Every matching event as NDJSON (application/x-ndjson), streamed")
    ResponseEntity<StreamingResponseBody> export(@AuthenticationPrincipal Jwt jwt,
                                                 @RequestParam(required = false) String conversationId,
                                                 @RequestParam(required = false) String userId,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) String types,
                                                 @RequestParam(required = false) String after) {
        AuditQuery query = AuditQuery.parse(conversationId, userId, from, to, types, after);
        trail.record(jwt.getSubject(), "GET /api/audit/export",
                AuditQuery.asGiven(filters(conversationId, userId, from, to, types, after)));
        StreamingResponseBody body = raw -> {
            OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
            try {
                log.export(query, entry -> {
                    try {
                        out.write(json.writeValueAsBytes(entry));
                        out.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.flush();
        };
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }

    @GetMapping("/conversations/{id}/state")
    @Operation(summary = "A conversation rebuilt from its events as it stood at an instant (default: now)")
    ConversationAsOf.State state(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                 @RequestParam(required = false) String at) {
        if (!AccountIds.isValid(id)) {
            throw new InvalidAuditQueryException("invalid-parameter", "the conversation id must be a lower-case UUID");
        }
        Instant asOf;
        try {
            asOf = at == null || at.isBlank() ? clock.instant() : Instant.parse(at.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidAuditQueryException("invalid-parameter", "'at' must be an ISO-8601 instant");
        }
        Map<String, String> given = new LinkedHashMap<>();
        given.put("id", id);
        given.put("at", at);
        trail.record(jwt.getSubject(), "GET /api/audit/conversations/{id}/state", AuditQuery.asGiven(given));
        return log.conversation(id, asOf).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND,
                "conversation-not-found", "No conversation with this id existed at " + asOf));
    }

    @GetMapping("/verify")
    @Operation(summary = "Recomputes the audit hash chain over the event store; reports the first broken position")
    Verified verify(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) Long position) {
        if (position != null && position < 0) {
            throw new InvalidAuditQueryException("invalid-parameter", "'position' must be a global position (>= 0)");
        }
        Map<String, String> given = new LinkedHashMap<>();
        given.put("position", position == null ? null : position.toString());
        trail.record(jwt.getSubject(), "GET /api/audit/verify", AuditQuery.asGiven(given));
        ChainVerifier.Verification v = verifier.verify();
        Link link = null;
        if (position != null) {
            ChainLinks.Link stored = links.byPosition(List.of(position)).get(position);
            link = stored == null ? null : new Link(stored.position(), stored.n(), stored.hash());
        }
        return new Verified(v.verified(), v.events(), v.head(), v.headPosition(), v.firstBrokenPosition(), v.problem(),
                v.pending(), link);
    }

    @ExceptionHandler(InvalidAuditQueryException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidAuditQueryException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage()));
    }

    private static Map<String, String> filters(String conversationId, String userId, String from, String to,
                                               String types, String after) {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("conversationId", conversationId);
        given.put("userId", userId);
        given.put("from", from);
        given.put("to", to);
        given.put("types", types);
        given.put("after", after);
        return given;
    }
}
