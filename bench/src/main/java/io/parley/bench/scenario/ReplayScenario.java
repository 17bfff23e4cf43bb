package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stats.Prometheus;
import io.parley.bench.stats.ServerMetrics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code replay}: how fast every projection is rebuilt from a large event store (README, "Replay").
 * <p>
 * Seeding a million events through the API would take most of an hour on this machine, so the scenario creates
 * {@code --conversations} groups and one message in each through the API (real events, written by the
 * platform), then appends clones of those {@code MessageSent} rows straight into the JDBC event store
 * ({@code --jdbc}, the embedded PostgreSQL started with a fixed {@code --chat.postgres.port}): new message and
 * event ids, the next seq and aggregate sequence number of each conversation, the rest as the platform wrote it.
 * Then it times, in order: the live processors catching up with the appended events, a blue/green replay of
 * every projection ({@code POST /api/admin/replay}, polled), and an auditor's NDJSON export of the whole store.
 * The platform needs {@code PARLEY_ADMIN_PASSWORD} set, as for the other scenarios' metrics.
 */
public final class ReplayScenario extends Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ReplayScenario(io.parley.bench.Options o) {
        super("replay", o);
    }

    @Override
    protected void run() throws Exception {
        int conversations = o.integer("conversations", 100);
        long events = o.lng("events", 1_000_000);
        String jdbcUrl = o.str("jdbc", "jdbc:postgresql://127.0.0.1:15432/parley");
        String adminHandle = env("PARLEY_ADMIN_HANDLE", "admin");
        String admin = api.signIn(adminHandle, env("PARLEY_ADMIN_PASSWORD", ""));

        List<User> users = users(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            String id = api.group(users.get(0), List.of(users.get(1)), "replay bench " + i);
            api.request("POST", "/api/conversations/" + id + "/messages", Map.of("clientMessageId", newId(),
                    "text", "replay bench template " + i), users.get(0).token(), 201);
            ids.add(id);
        }
        Map<String, Object> seed = report.section("seed");
        long seedStart = System.nanoTime();
        long appended = append(jdbcUrl, ids, events);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        seed.put("appended_events", appended);
        seed.put("seconds", round(seedSeconds));
        progress("appended %d MessageSent rows in %.1f s", appended, seedSeconds);

        Map<String, Object> live = report.section("live_catch_up");
        long catchStart = System.nanoTime();
        awaitNoLag(Duration.ofMinutes(o.integer("catch-up-minutes", 30)));
        double catchSeconds = (System.nanoTime() - catchStart) / 1e9;
        live.put("seconds", round(catchSeconds));
        live.put("events_per_second", Math.round(appended / catchSeconds));
        progress("live processors caught up with %d appended events in %.1f s", appended, catchSeconds);

        Map<String, Object> replay = report.section("replay");
        long replayStart = System.nanoTime();
        String replayId = api.request("POST", "/api/admin/replay", Map.of(), admin, 202).path("id").asText();
        JsonNode status;
        do {
            Thread.sleep(2_000);
            status = api.request("GET", "/api/admin/replay/" + replayId, null, admin, 200);
            progress("replay %s: %d/%d events, %.0f events/s, ETA %s s", status.path("state").asText(),
                    status.path("eventsDone").asLong(), status.path("eventsTotal").asLong(),
                    status.path("eventsPerSecond").asDouble(), status.path("etaSeconds").asText());
        } while ("RUNNING".equals(status.path("state").asText()) && System.nanoTime() < deadlineNanos);
        replay.put("state", status.path("state").asText());
        replay.put("processors", status.path("processors").toString());
        replay.put("events", status.path("eventsDone").asLong());
        replay.put("events_per_second", Math.round(status.path("eventsPerSecond").asDouble()));
        replay.put("wall_seconds", round((System.nanoTime() - replayStart) / 1e9));
        replay.put("server_rss_mb_after", rssMb());

        Map<String, Object> export = report.section("export");
        // its own handle prefix: users(1) would sign up the first set-up handle again (409 handle-taken)
        User auditor = api.users(prefix + "aud", 1, 1).get(0);
        api.request("PUT", "/api/admin/accounts/" + auditor.id() + "/roles", Map.of("roles", List.of("AUDITOR")),
                admin, 204);
        String auditorToken = api.signIn(auditor.handle(), io.parley.bench.rest.PlatformClient.PASSWORD);
        long exportStart = System.nanoTime();
        HttpResponse<java.io.InputStream> response = api.http().send(HttpRequest.newBuilder(
                        URI.create(url + "/api/audit/export")).header("Authorization", "Bearer " + auditorToken)
                .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        long bytes = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                bytes += line.length() + 1;
            }
        }
        double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
        export.put("status", response.statusCode());
        export.put("entries", lines);
        export.put("mb", round(bytes / 1e6));
        export.put("seconds", round(exportSeconds));
        export.put("entries_per_second", Math.round(lines / exportSeconds));
        export.put("server_rss_mb_after", rssMb());
        progress("export: %d entries (%.0f MB) in %.1f s", lines, bytes / 1e6, exportSeconds);
    }

    /** Appends clones of each conversation's MessageSent until {@code events} rows were added. */
    private long append(String jdbcUrl, List<String> conversations, long events) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?")
                + "reWriteBatchedInserts=true", o.str("jdbc-user", "postgres"), o.str("jdbc-password", ""))) {
            db.setAutoCommit(false);
            Map<String, Template> templates = new LinkedHashMap<>();
            try (PreparedStatement last = db.prepareStatement("SELECT payload, payloadtype, payloadrevision, "
                    + "metadata, type, sequencenumber FROM domainevententry WHERE aggregateidentifier = ? "
                    + "ORDER BY sequencenumber DESC LIMIT 1")) {
                for (String id : conversations) {
                    last.setString(1, id);
                    try (ResultSet row = last.executeQuery()) {
                        if (!row.next() || !row.getString(2).endsWith("MessageSent")) {
                            throw new IllegalStateException("conversation " + id + " does not end with a MessageSent");
                        }
                        ObjectNode payload = (ObjectNode) JSON.readTree(row.getBytes(1));
                        templates.put(id, new Template(payload, row.getString(2), row.getString(3), row.getBytes(4),
                                row.getString(5), row.getLong(6), payload.path("seq").asLong()));
                    }
                }
            }
            String insert = "INSERT INTO domainevententry (eventidentifier, metadata, payload, payloadrevision, "
                    + "payloadtype, timestamp, aggregateidentifier, sequencenumber, type) VALUES (?,?,?,?,?,?,?,?,?)";
            long added = 0;
            long lastLog = System.nanoTime();
            try (PreparedStatement rows = db.prepareStatement(insert)) {
                List<String> ids = new ArrayList<>(templates.keySet());
                while (added < events) {
                    for (int i = 0; i < 5_000 && added < events; i++, added++) {
                        String id = ids.get((int) (added % ids.size()));
                        Template t = templates.get(id);
                        t.sequence++;
                        t.seq++;
                        ObjectNode payload = t.payload.deepCopy();
                        payload.put("seq", t.seq);
                        payload.put("messageId", UUID.randomUUID().toString());
                        payload.put("clientMessageId", UUID.randomUUID().toString());
                        payload.put("text", "replay bench message " + added + " in " + id.substring(0, 8));
                        rows.setString(1, UUID.randomUUID().toString());
                        rows.setBytes(2, t.metaData);
                        rows.setBytes(3, JSON.writeValueAsBytes(payload));
                        rows.setString(4, t.revision);
                        rows.setString(5, t.payloadType);
                        rows.setString(6, Instant.now().toString());
                        rows.setString(7, id);
                        rows.setLong(8, t.sequence);
                        rows.setString(9, t.type);
                        rows.addBatch();
                    }
                    rows.executeBatch();
                    db.commit();
                    if (System.nanoTime() - lastLog > 5e9) {
                        lastLog = System.nanoTime();
                        progress("seeding: %d of %d events appended", added, events);
                    }
                }
            }
            return added;
        }
    }

    private void awaitNoLag(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastLog = 0;
        while (System.nanoTime() < deadline) {
            Prometheus.Snapshot snapshot = prom.scrape();
            Map<String, Double> lag = snapshot == null ? Map.of() : ServerMetrics.lagGauges(snapshot);
            double worst = lag.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            if (snapshot != null && !lag.isEmpty() && worst == 0) {
                return;
            }
            if (System.nanoTime() - lastLog > 5e9) {
                lastLog = System.nanoTime();
                progress("waiting for the live processors: lag %s", lag);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the live processors did not catch up within " + timeout);
    }

    private Object rssMb() {
        if (serverPid <= 0) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static final class Template {
        final ObjectNode payload;
        final String payloadType;
        final String revision;
        final byte[] metaData;
        final String type;
        long sequence;
        long seq;

        Template(ObjectNode payload, String payloadType, String revision, byte[] metaData, String type, long sequence,
                 long seq) {
            this.payload = payload;
            this.payloadType = payloadType;
            this.revision = revision;
            this.metaData = metaData;
            this.type = type;
            this.sequence = sequence;
            this.seq = seq;
        }
    }
}
