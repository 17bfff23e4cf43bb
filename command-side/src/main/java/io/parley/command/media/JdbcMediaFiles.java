package io.parley.command.media;

import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.privacy.PersonalDataCipher;
import io.parley.command.history.EventHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link MediaFiles} on the event store's PostgreSQL database. JdbcTemplate takes the connection bound to the
 * Spring transaction that Axon's unit of work opened, so a row commits or rolls back with its
 * {@code MediaUploaded}. The table is created once, before the node takes requests, and filled in that same
 * transaction from the uploads already in the event store (a deployment older than the table).
 */
@Component
class JdbcMediaFiles implements MediaFiles, MediaErasure, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(JdbcMediaFiles.class);

    private static final RowMapper<MediaFile> FILE = (rs, i) -> new MediaFile(rs.getString("media_id"),
            rs.getString("uploader_id"), rs.getString("sha256"), rs.getLong("size"), rs.getString("content_type"),
            MediaKind.valueOf(rs.getString("kind")), rs.getString("original_name"), integer(rs, "width"),
            integer(rs, "height"), rs.getBoolean("has_thumbnail"), longOrNull(rs, "duration_ms"));

    private final JdbcTemplate jdbc;
    private final EventHistory history;

    JdbcMediaFiles(JdbcTemplate jdbc, EventHistory history) {
        this.jdbc = jdbc;
        this.history = history;
    }

    @Override
    public void afterSingletonsInstantiated() {
        long applied = history.createAndFill("media_files", """
                    CREATE TABLE media_files (
                        media_id      TEXT PRIMARY KEY,
                        uploader_id   TEXT NOT NULL,
                        sha256        CHAR(64) NOT NULL,
                        size          BIGINT NOT NULL,
                        content_type  VARCHAR(127) NOT NULL,
                        kind          VARCHAR(16) NOT NULL,
                        original_name VARCHAR(255),
                        width         INTEGER,
                        height        INTEGER,
                        has_thumbnail BOOLEAN NOT NULL,
                        duration_ms   BIGINT
                    )""", Set.of(MediaUploaded.class),
                upload -> insert((MediaUploaded) upload, "ON CONFLICT (media_id) DO NOTHING"));
        if (applied >= 0) {
            log.info("Created the media_files table ({} uploads from the event store)", applied);
        }
        // tables created before durations existed (MediaUploaded revision 1): their uploads have none to fill in
        jdbc.execute("ALTER TABLE media_files ADD COLUMN IF NOT EXISTS duration_ms BIGINT");
    }

    @Override
    public void record(MediaUploaded upload) {
        insert(upload, "");
    }

    private void insert(MediaUploaded upload, String onConflict) {
        jdbc.update("""
                INSERT INTO media_files (media_id, uploader_id, sha256, size, content_type, kind, original_name,
                                         width, height, has_thumbnail, duration_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""" + " " + onConflict,
                upload.mediaId(), upload.uploaderId(), upload.sha256(), upload.size(), upload.contentType(),
                upload.kind().name(), upload.originalName(), upload.width(), upload.height(), upload.hasThumbnail(),
                upload.durationMillis());
    }

    @Override
    public Optional<MediaFile> find(String mediaId) {
        return jdbc.query("""
                SELECT media_id, uploader_id, sha256, size, content_type, kind, original_name, width, height,
                       has_thumbnail, duration_ms
                FROM media_files WHERE media_id = ?""", FILE, mediaId).stream().findFirst();
    }

    @Override
    public List<String> eraseUploader(String uploaderId) {
        jdbc.update("UPDATE media_files SET original_name = ? WHERE uploader_id = ? AND original_name IS NOT NULL",
                PersonalDataCipher.ERASED, uploaderId);
        return jdbc.queryForList("""
                SELECT DISTINCT m.sha256 FROM media_files m
                WHERE m.uploader_id = ?
                  AND NOT EXISTS (SELECT 1 FROM media_files o WHERE o.sha256 = m.sha256 AND o.uploader_id <> ?)""",
                String.class, uploaderId, uploaderId);
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
