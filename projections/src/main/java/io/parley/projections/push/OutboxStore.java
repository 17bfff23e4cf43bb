package io.parley.projections.push;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outbox's two tables in PostgreSQL, beside the events: {@code push_outbox}, one {@link OutboxSlot} per
 * conversation and device, and {@code push_schedule}, the keys of the slots with something waiting, so a restart
 * finds them without a scan. In PostgreSQL, not in the read-model store, because what they record must never
 * happen twice: the embedded MongoDB may lose its last seconds in a crash and replay them (docs/design.md,
 * section 6), and a push already sent must stay known as sent. This class is the only one naming the columns.
 * Used from the outbox thread only, outside any transaction (each statement commits on its own, as the MongoDB
 * writes it replaces did).
 */
final class OutboxStore {

    private static final String COLUMNS = "id, user_id, device_id, conversation_id, covered_seq, window_ends_at, "
            + "burst, pending, latest_seq, latest_message_id, latest_title, latest_preview, in_flight_run, "
            + "in_flight_seq, in_flight_count, attempt, next_attempt_at";
    private static final String UPSERT = "INSERT INTO push_outbox (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            + "user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id, conversation_id = EXCLUDED.conversation_id, "
            + "covered_seq = EXCLUDED.covered_seq, window_ends_at = EXCLUDED.window_ends_at, burst = EXCLUDED.burst, "
            + "pending = EXCLUDED.pending, latest_seq = EXCLUDED.latest_seq, "
            + "latest_message_id = EXCLUDED.latest_message_id, latest_title = EXCLUDED.latest_title, "
            + "latest_preview = EXCLUDED.latest_preview, in_flight_run = EXCLUDED.in_flight_run, "
            + "in_flight_seq = EXCLUDED.in_flight_seq, in_flight_count = EXCLUDED.in_flight_count, "
            + "attempt = EXCLUDED.attempt, next_attempt_at = EXCLUDED.next_attempt_at";

    private static final RowMapper<OutboxSlot> SLOT = (rs, i) -> {
        OutboxSlot slot = new OutboxSlot();
        slot.id = rs.getString("id");
        slot.userId = rs.getString("user_id");
        slot.deviceId = rs.getString("device_id");
        slot.conversationId = rs.getString("conversation_id");
        slot.coveredSeq = rs.getLong("covered_seq");
        slot.windowEndsAt = instant(rs, "window_ends_at");
        slot.burst = rs.getInt("burst");
        slot.pending = rs.getInt("pending");
        long latestSeq = rs.getLong("latest_seq");
        if (!rs.wasNull()) {
            slot.latest = new Notice(slot.conversationId, latestSeq, rs.getString("latest_message_id"),
                    rs.getString("latest_title"), rs.getString("latest_preview"), 1);
        }
        slot.inFlight = rs.getString("in_flight_run");
        if (slot.inFlight != null) {
            slot.inFlightSeq = rs.getLong("in_flight_seq");
            slot.inFlightCount = rs.getInt("in_flight_count");
        }
        slot.attempt = rs.getInt("attempt");
        slot.nextAttemptAt = instant(rs, "next_attempt_at");
        return slot;
    };

    private final JdbcTemplate jdbc;

    OutboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS push_outbox (
                    id                TEXT PRIMARY KEY,
                    user_id           TEXT NOT NULL,
                    device_id         TEXT NOT NULL,
                    conversation_id   TEXT NOT NULL,
                    covered_seq       BIGINT NOT NULL,
                    window_ends_at    TIMESTAMPTZ,
                    burst             INTEGER NOT NULL,
                    pending           INTEGER NOT NULL,
                    latest_seq        BIGINT,
                    latest_message_id TEXT,
                    latest_title      TEXT,
                    latest_preview    TEXT,
                    in_flight_run     TEXT,
                    in_flight_seq     BIGINT,
                    in_flight_count   INTEGER,
                    attempt           INTEGER NOT NULL,
                    next_attempt_at   TIMESTAMPTZ
                )""");
        jdbc.execute("CREATE TABLE IF NOT EXISTS push_schedule (id TEXT PRIMARY KEY)");
    }

    static String key(String conversationId, String deviceId) {
        return conversationId + ":" + deviceId;
    }

    /** The slots stored under these keys; absent keys are absent from the answer. */
    Map<String, OutboxSlot> load(List<String> keys) {
        Map<String, OutboxSlot> slots = new HashMap<>();
        if (!keys.isEmpty()) {
            jdbc.query(con -> {
                PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS + " FROM push_outbox WHERE id = ANY (?)");
                ps.setArray(1, con.createArrayOf("text", keys.toArray()));
                return ps;
            }, SLOT).forEach(slot -> slots.put(slot.id, slot));
        }
        return slots;
    }

    void save(OutboxSlot slot) {
        write(List.of(slot), List.of());
    }

    /** Upserts {@code saved} and deletes the {@code deleted} keys. */
    void write(Collection<OutboxSlot> saved, Collection<String> deleted) {
        if (!saved.isEmpty()) {
            List<OutboxSlot> slots = new ArrayList<>(saved);
            jdbc.batchUpdate(UPSERT, slots, slots.size(), OutboxStore::bind);
        }
        if (!deleted.isEmpty()) {
            withKeys("DELETE FROM push_outbox WHERE id = ANY (?)", deleted);
        }
    }

    /** The keys listed as waiting. */
    List<String> dueKeys() {
        return jdbc.queryForList("SELECT id FROM push_schedule", String.class);
    }

    /** Lists {@code waiting} as waiting and takes the {@code done} keys that are not also waiting off the list. */
    void updateDue(Set<String> waiting, Set<String> done) {
        Set<String> finished = new LinkedHashSet<>(done);
        finished.removeAll(waiting);
        if (!waiting.isEmpty()) {
            withKeys("INSERT INTO push_schedule (id) SELECT unnest(?) ON CONFLICT (id) DO NOTHING", waiting);
        }
        if (!finished.isEmpty()) {
            withKeys("DELETE FROM push_schedule WHERE id = ANY (?)", finished);
        }
    }

    void clear() {
        jdbc.update("DELETE FROM push_outbox");
        jdbc.update("DELETE FROM push_schedule");
    }

    private void withKeys(String sql, Collection<String> keys) {
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(sql);
            Array array = con.createArrayOf("text", keys.toArray());
            ps.setArray(1, array);
            return ps;
        });
    }

    private static void bind(PreparedStatement ps, OutboxSlot slot) throws SQLException {
        ps.setString(1, slot.id);
        ps.setString(2, slot.userId);
        ps.setString(3, slot.deviceId);
        ps.setString(4, slot.conversationId);
        ps.setLong(5, slot.coveredSeq);
        ps.setTimestamp(6, timestamp(slot.windowEndsAt));
        ps.setInt(7, slot.burst);
        ps.setInt(8, slot.pending);
        if (slot.latest != null) {
            ps.setLong(9, slot.latest.seq());
            ps.setString(10, slot.latest.messageId());
            ps.setString(11, slot.latest.title());
            ps.setString(12, slot.latest.preview());
        } else {
            ps.setNull(9, Types.BIGINT);
            ps.setNull(10, Types.VARCHAR);
            ps.setNull(11, Types.VARCHAR);
            ps.setNull(12, Types.VARCHAR);
        }
        ps.setString(13, slot.inFlight);
        if (slot.inFlight != null) {
            ps.setLong(14, slot.inFlightSeq);
            ps.setInt(15, slot.inFlightCount);
        } else {
            ps.setNull(14, Types.BIGINT);
            ps.setNull(15, Types.INTEGER);
        }
        ps.setInt(16, slot.attempt);
        ps.setTimestamp(17, slot.attempt == 0 ? null : timestamp(slot.nextAttemptAt));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
