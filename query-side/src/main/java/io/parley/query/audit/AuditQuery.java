package io.parley.query.audit;

import io.parley.api.account.AccountIds;
import io.parley.projections.audit.StoredEvents;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The filters of {@code /api/audit/events} and {@code /api/audit/export}, parsed and checked. Conversation, types
 * and time window become SQL ({@link StoredEvents.Criteria}); {@code userId} is matched per event against its
 * {@link EventParties}, as no column holds it.
 *
 * @param after the position to start after (-1: from the first event)
 */
public record AuditQuery(String conversationId, String userId, Instant from, Instant to, Set<String> types,
                         long after) {

    /** Parses the request parameters as given (null or blank: not filtered). */
    public static AuditQuery parse(String conversationId, String userId, String from, String to, String types,
                                   String after) {
        String conversation = blankToNull(conversationId);
        if (conversation != null && !AccountIds.isValid(conversation)) {
            // conversation ids have the shape of account ids: canonical lower-case UUIDs (ConversationIds)
            throw new InvalidAuditQueryException("invalid-parameter", "'conversationId' must be a lower-case UUID");
        }
        String user = blankToNull(userId);
        if (user != null && !AccountIds.isValid(user)) {
            throw new InvalidAuditQueryException(AccountIds.INVALID, "'userId' must be an account id (a lower-case UUID)");
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new InvalidAuditQueryException("invalid-range", "'from' must be before 'to'");
        }
        Set<String> names = null;
        if (blankToNull(types) != null) {
            names = new LinkedHashSet<>();
            for (String name : types.split(",")) {
                String trimmed = name.strip();
                if (!EventParties.byName().containsKey(trimmed)) {
                    throw new InvalidAuditQueryException("invalid-parameter", "'types' lists an unknown event '"
                            + abbreviate(trimmed) + "'; known: " + String.join(",", EventParties.byName().keySet()));
                }
                names.add(trimmed);
            }
        }
        long position = blankToNull(after) == null ? -1 : AuditCursor.decode(after.strip());
        return new AuditQuery(conversation, user, start, end, names, position);
    }

    StoredEvents.Criteria criteria() {
        Set<String> payloadTypes = null;
        if (types != null) {
            payloadTypes = new LinkedHashSet<>();
            for (String name : types) {
                payloadTypes.add(EventParties.byName().get(name).getName());
            }
        }
        return new StoredEvents.Criteria(conversationId, payloadTypes, from, to);
    }

    /** The filters as given, for the {@code AuditQueried} record (absent ones left out). */
    public static Map<String, String> asGiven(Map<String, String> parameters) {
        Map<String, String> given = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                given.put(k, v);
            }
        });
        return given;
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidAuditQueryException("invalid-parameter", "'" + name + "' must be an ISO-8601 instant");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
