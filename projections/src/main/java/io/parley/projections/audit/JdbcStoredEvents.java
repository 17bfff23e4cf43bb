package io.parley.projections.audit;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * {@link StoredEvents} over the JDBC event store (Axon's {@code JdbcEventStorageEngine} on PostgreSQL, README,
 * "Architecture"), with the table and column names of the store's own {@link EventSchema}. Every query is a range
 * of the primary key (the global index) or of the aggregate's unique (id, sequence) index, with a LIMIT.
 * Timestamps compare as text: Axon writes them fixed-width ({@link DateTimeUtils#formatInstant}), so text order
 * is time order.
 */
public final class JdbcStoredEvents implements StoredEvents {

    private final JdbcTemplate jdbc;
    private final EventSchema schema;
    private final String select;
    private final RowMapper<StoredEvent> rows;

    public JdbcStoredEvents(JdbcTemplate jdbc, EventSchema schema) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.select = "SELECT " + String.join(", ", schema.globalIndexColumn(), schema.eventIdentifierColumn(),
                schema.typeColumn(), schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn(),
                schema.timestampColumn(), schema.payloadTypeColumn(), schema.payloadRevisionColumn(),
                schema.payloadColumn(), schema.metaDataColumn()) + " FROM " + schema.domainEventTable();
        this.rows = (rs, i) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9), rs.getBytes(10));
    }

    @Override
    public List<StoredEvent> after(long position, int limit, Criteria criteria) {
        StringBuilder sql = new StringBuilder(select).append(" WHERE ").append(schema.globalIndexColumn()).append(" > ?");
        List<Object> args = new ArrayList<>();
        args.add(position);
        if (criteria.aggregateId() != null) {
            sql.append(" AND ").append(schema.aggregateIdentifierColumn()).append(" = ?");
            args.add(criteria.aggregateId());
        }
        if (criteria.payloadTypes() != null) {
            if (criteria.payloadTypes().isEmpty()) {
                return List.of();
            }
            sql.append(" AND ").append(schema.payloadTypeColumn()).append(" IN (")
                    .append(String.join(", ", Collections.nCopies(criteria.payloadTypes().size(), "?"))).append(')');
            args.addAll(criteria.payloadTypes());
        }
        if (criteria.from() != null) {
            sql.append(" AND ").append(schema.timestampColumn()).append(" >= ?");
            args.add(DateTimeUtils.formatInstant(criteria.from()));
        }
        if (criteria.to() != null) {
            sql.append(" AND ").append(schema.timestampColumn()).append(" < ?");
            args.add(DateTimeUtils.formatInstant(criteria.to()));
        }
        sql.append(" ORDER BY ").append(schema.globalIndexColumn()).append(" LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), rows, args.toArray());
    }

    @Override
    public List<StoredEvent> at(Collection<Long> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        String sql = select + " WHERE " + schema.globalIndexColumn() + " IN ("
                + String.join(", ", Collections.nCopies(positions.size(), "?")) + ") ORDER BY " + schema.globalIndexColumn();
        return jdbc.query(sql, rows, positions.toArray());
    }

    @Override
    public List<StoredEvent> byEventIds(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        // event_identifier is unique in Axon's schema, so this is an index lookup per id
        String sql = select + " WHERE " + schema.eventIdentifierColumn() + " IN ("
                + String.join(", ", Collections.nCopies(eventIds.size(), "?")) + ") ORDER BY " + schema.globalIndexColumn();
        return jdbc.query(sql, rows, eventIds.toArray());
    }

    @Override
    public boolean exists(long position) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + schema.domainEventTable()
                + " WHERE " + schema.globalIndexColumn() + " = ?)", Boolean.class, position));
    }

    @Override
    public List<StoredEvent> ofAggregate(String aggregateId, long afterSeq, java.time.Instant until, int limit) {
        String sql = select + " WHERE " + schema.aggregateIdentifierColumn() + " = ? AND " + schema.sequenceNumberColumn()
                + " > ? AND " + schema.timestampColumn() + " <= ? ORDER BY " + schema.sequenceNumberColumn() + " LIMIT ?";
        return jdbc.query(sql, rows, aggregateId, afterSeq, DateTimeUtils.formatInstant(until), limit);
    }
}
