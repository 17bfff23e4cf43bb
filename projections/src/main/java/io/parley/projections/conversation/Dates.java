package io.parley.projections.conversation;

import java.time.Instant;
import java.util.Date;

/** BSON stores times as dates (millisecond precision); the records carry instants. */
final class Dates {
    private Dates() {
    }

    static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
