package io.parley.gateway.web.search;

import io.parley.gateway.web.Problems;
import io.parley.query.search.InvalidSearchException;
import io.parley.query.search.MessageSearch;
import io.parley.query.search.MessageSearch.Order;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

@RestController
@Tag(name = "search")
class SearchController {

    private final MessageSearch search;

    SearchController(MessageSearch search) {
        this.search = search;
    }

    @GetMapping("/api/search")
    @Operation(summary = "Full-text search over the caller's conversations",
            description = "q uses simple query syntax (words, \"phrases\", -exclusions, prefix*); results are "
                    + "newest-first or by relevance (the default when q is given); continue with nextCursor. "
                    + "mentions=me keeps the messages that mention the caller.")
    MessageSearch.Page search(@AuthenticationPrincipal Jwt jwt,
                              @RequestParam(required = false) String q,
                              @RequestParam(required = false) String conversation,
                              @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to,
                              @RequestParam(required = false) String sender,
                              @RequestParam(required = false) String type,
                              @RequestParam(required = false) String cursor,
                              @RequestParam(required = false) String order,
                              @RequestParam(required = false) String mentions,
                              @RequestParam(defaultValue = "20") int size) {
        // a q that is present but blank is a mistake, not "no q" (the README promises 400; issue 15)
        if (q != null && q.isBlank()) {
            throw new InvalidSearchException("invalid-query", "q may not be blank; leave it out to list the newest messages");
        }
        if (size < 1) {
            throw new InvalidSearchException("invalid-parameter", "size must be at least 1");
        }
        // only one's own mentions: "who mentioned whom" in general is not a search this API offers (README, API)
        if (mentions != null && !"me".equals(mentions)) {
            throw new InvalidSearchException("invalid-parameter", "mentions accepts only 'me'");
        }
        return search.search(new MessageSearch.Request(jwt.getSubject(), q, blankToNull(conversation),
                instant("from", from), instant("to", to), blankToNull(sender),
                type == null || type.isBlank() ? null : type.toUpperCase(Locale.ROOT), blankToNull(cursor),
                order(order), size, mentions != null));
    }

    @ExceptionHandler(InvalidSearchException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidSearchException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidSearchException("invalid-parameter", "'" + name + "' must be an ISO-8601 instant "
                    + "such as 2026-01-31T12:00:00Z");
        }
    }

    private static Order order(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "newest" -> Order.NEWEST;
            case "relevance" -> Order.RELEVANCE;
            default -> throw new InvalidSearchException("invalid-parameter", "order must be newest or relevance");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
