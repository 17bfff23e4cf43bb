package io.parley.gateway.account;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.projections.search.SearchIndexProperties;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account deletion end to end (README, Account deletion): two users chat (a text, an edit, a document with a
 * distinctive file name), one deletes the account, every view is replayed from the event store, and the deleted
 * account's words, file name, file content, handle and display name are found nowhere: not in any PostgreSQL table
 * (the event payloads' bytes included), any MongoDB document, the Elasticsearch index, the media store or the log;
 * while the other still sees the messages, in order, as {@code [erased]}, and the audit hash chain still verifies.
 */
class AccountDeletionIT extends IntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MongoClient mongoClient;
    @Autowired
    MongoDatabase mongo;
    @Autowired
    ElasticsearchClient elasticsearch;
    @Autowired
    SearchIndexProperties searchIndex;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        log.stop();
    }

    @Test
    void aDeletedAccountsPersonalDataIsFoundNowhereAfterAReplayWhileTheTimelineStays() throws Exception {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String text = "quetzalsunrise" + tag;
        String edited = "quetzaledited" + tag;
        String fileName = "quetzalblueprint" + tag + ".pdf";
        String content = "quetzalcontent" + tag;
        String displayName = "Quetzalname" + tag;
        String handle = "qz" + tag;
        List<String> secrets = List.of(text, edited, fileName, content, displayName, handle);

        Response created = api.post("/api/accounts", Map.of("handle", handle, "displayName", displayName,
                "password", Api.PASSWORD), null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        User alice = api.signIn(created.json().get("id").asText(), handle, displayName, Api.PASSWORD);
        User bob = api.signUp("bob");
        User carol = api.signUp("carol");

        String direct = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()),
                alice.accessToken()).json().get("id").asText();
        // alice is the group's only admin: her deletion promotes the oldest member left
        Response group = api.post("/api/conversations", Map.of("type", "GROUP", "title", "Trip",
                "memberIds", List.of(bob.id(), carol.id())), alice.accessToken());
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        String groupId = group.json().get("id").asText();

        long textSeq = send(alice, direct, Map.of("text", text));
        assertThat(api.put("/api/conversations/" + direct + "/messages/" + textSeq, Map.of("text", edited),
                alice.accessToken()).status()).isEqualTo(204);
        String mediaId = upload(alice, fileName, ("%PDF-1.4\n% " + content + "\n%%EOF\n").getBytes(StandardCharsets.UTF_8));
        long fileSeq = send(alice, direct, Map.of("mediaId", mediaId));
        long bobSeq = send(bob, direct, Map.of("text", "bob keeps his words " + tag));
        send(alice, groupId, Map.of("text", text));
        await(() -> history(bob, direct), h -> h.size() >= 4 && h.stream().anyMatch(e -> edited.equals(e.path("text").asText())));
        await(() -> search(bob, text), hits -> hits.size() >= 1);

        assertThat(found(secrets)).as("the test can find what it looks for before the deletion").isNotEmpty();

        Response wrong = api.send("DELETE", "/api/me", Map.of("password", "not the password"), alice.accessToken());
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.isProblem()).isTrue();
        assertThat(wrong.json().get("type").asText()).endsWith("/wrong-password");

        Response deleted = api.send("DELETE", "/api/me", Map.of("password", Api.PASSWORD), alice.accessToken());
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);

        // refused from now on: the old access token, a refresh, a new sign-in; the handle is free again
        await(() -> api.get("/api/me", alice.accessToken()).status(), status -> status == 401);
        assertThat(api.post("/api/auth/refresh", Map.of("refreshToken", alice.refreshToken()), null).status())
                .isEqualTo(401);
        assertThat(api.post("/api/auth/token", Map.of("handle", handle, "password", Api.PASSWORD), null).status())
                .isEqualTo(401);
        JsonNode members = await(() -> api.get("/api/conversations/" + groupId, bob.accessToken()).json(),
                details -> details.get("members").size() == 2);
        assertThat(members.get("members").findValuesAsText("userId")).containsExactlyInAnyOrder(bob.id(), carol.id());
        assertThat(members.get("members").findValuesAsText("role")).contains("ADMIN");

        // everything rebuilt from the event store, which was never rewritten
        User admin = api.admin();
        Response replay = api.post("/api/admin/replay", Map.of(), admin.accessToken());
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        String replayId = replay.json().get("id").asText();
        JsonNode done = await(() -> api.get("/api/admin/replay/" + replayId, admin.accessToken()).json(),
                status -> !"RUNNING".equals(status.get("state").asText()));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");

        List<JsonNode> after = await(() -> history(bob, direct), h -> h.size() >= 4
                && h.stream().noneMatch(e -> e.path("text").asText().contains("quetzal")));
        List<JsonNode> messages = after.stream().filter(e -> "MESSAGE".equals(e.get("kind").asText())).toList();
        assertThat(messages).extracting(e -> e.get("seq").asLong()).containsExactly(textSeq, fileSeq, bobSeq);
        assertThat(messages.get(0).get("text").asText()).isEqualTo("[erased]");
        assertThat(messages.get(0).get("senderId").asText()).isEqualTo(alice.id());
        assertThat(messages.get(0).has("editedAt")).isTrue();
        assertThat(messages.get(1).get("media").get("fileName").asText()).isEqualTo("[erased]");
        assertThat(messages.get(2).get("text").asText()).isEqualTo("bob keeps his words " + tag);
        assertThat(search(bob, text)).isEmpty();
        assertThat(api.get("/api/users/" + alice.id(), bob.accessToken()).json().get("displayName").asText())
                .isEqualTo("[erased]");

        assertThat(found(secrets)).as("the deleted account's personal data, anywhere").isEmpty();

        User auditor = auditor(admin);
        JsonNode verified = await(() -> api.get("/api/audit/verify", auditor.accessToken()).json(),
                v -> v.path("pending").asLong(1) == 0);
        assertThat(verified.get("verified").asBoolean()).as(verified.toString()).isTrue();
    }

    // ------------------------------------------------------------------ where personal data could hide

    /** Every place that holds a secret, as "where: secret". */
    private List<String> found(List<String> secrets) throws Exception {
        List<String> found = new ArrayList<>();
        Map<String, String> places = new LinkedHashMap<>();
        for (String table : jdbc.queryForList("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'",
                String.class)) {
            StringBuilder rows = new StringBuilder();
            jdbc.query("SELECT * FROM " + table, rs -> {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    rows.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value)
                            .append('\u0001');
                }
            });
            places.put("postgres " + table, rows.toString());
        }
        for (String database : mongoClient.listDatabaseNames()) {
            MongoDatabase db = mongoClient.getDatabase(database);
            for (String collection : db.listCollectionNames()) {
                StringBuilder docs = new StringBuilder();
                for (Document doc : db.getCollection(collection).find()) {
                    docs.append(doc.toJson()).append('\n');
                }
                places.put("mongo " + database + "." + collection, docs.toString());
            }
        }
        elasticsearch.indices().refresh(r -> r.index(searchIndex.indexPrefix() + "*"));
        SearchResponse<JsonData> all = elasticsearch.search(s -> s.index(searchIndex.indexPrefix() + "*")
                .size(10_000).query(q -> q.matchAll(m -> m)), JsonData.class);
        StringBuilder sources = new StringBuilder();
        all.hits().hits().forEach(hit -> sources.append(hit.source()).append('\n'));
        places.put("elasticsearch _source", sources.toString());
        Path media = DATA_DIR.resolve("media");
        if (Files.exists(media)) {
            try (Stream<Path> files = Files.walk(media)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    places.put("media store " + media.relativize(file),
                            file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        StringBuilder logged = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(log.list)) {
            logged.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                logged.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        places.put("log", logged.toString());
        places.forEach((where, what) -> secrets.stream().filter(what::contains)
                .forEach(secret -> found.add(where + ": " + secret)));
        for (String secret : secrets) {
            long matches = elasticsearch.search(s -> s.index(searchIndex.indexPrefix() + "*")
                    .query(q -> q.match(m -> m.field("text").query(secret))), JsonData.class).hits().hits().size();
            if (matches > 0) {
                found.add("elasticsearch match query: " + secret);
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ client steps

    private long send(User from, String conversation, Map<String, Object> content) {
        Map<String, Object> body = new LinkedHashMap<>(content);
        body.put("clientMessageId", UUID.randomUUID().toString());
        Response sent = api.post("/api/conversations/" + conversation + "/messages", body, from.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        return sent.json().get("seq").asLong();
    }

    private String upload(User user, String fileName, byte[] bytes) throws Exception {
        String boundary = "----parley" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/media"))
                .header("Authorization", "Bearer " + user.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(bytes), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("id").asText();
    }

    private List<JsonNode> history(User user, String conversation) {
        Response page = api.get("/api/conversations/" + conversation + "/messages?limit=200", user.accessToken());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        page.json().get("messages").forEach(entries::add);
        entries.sort(Comparator.comparingLong(e -> e.get("seq").asLong()));
        return entries;
    }

    private List<JsonNode> search(User user, String query) {
        Response hits = api.get("/api/search?q=" + query, user.accessToken());
        assertThat(hits.status()).as(hits.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        hits.json().get("hits").forEach(list::add);
        return list;
    }

    private User auditor(User admin) {
        User user = api.signUp("auditor");
        assertThat(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of("AUDITOR")),
                admin.accessToken()).status()).isEqualTo(204);
        return api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
    }

    private static <T> T await(java.util.function.Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        T value;
        do {
            value = read.get();
            if (done.test(value)) {
                return value;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
        } while (System.nanoTime() < deadline);
        return value;
    }
}
