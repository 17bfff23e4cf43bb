package io.parley.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import io.parley.projections.live.LiveQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization matrix of docs/authorization.md, executed: every REST endpoint and STOMP destination the
 * running platform maps must have a row (so a new endpoint cannot ship unreviewed), and each row's expected
 * answer is checked for each kind of caller with a valid request on real ids. Rows flagged as a known leak are
 * reported, not failed (issue 15).
 */
class AuthorizationMatrixIT extends IntegrationTest {

    static final Path MATRIX = Path.of("..", "docs", "authorization.md");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The columns of the matrix, in its order. MEMBER runs last on each row: its valid writes may consume state. */
    enum Caller {
        ANONYMOUS("anonymous"), MEMBER("member"), NON_MEMBER("non-member"), REMOVED("removed"),
        LATE("late joiner"), ANALYST("ANALYST"), AUDITOR("AUDITOR"), ADMIN("ADMIN");

        final String column;

        Caller(String column) {
            this.column = column;
        }

        static Caller of(String column) {
            for (Caller c : values()) {
                if (c.column.equalsIgnoreCase(column.strip())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown caller column: " + column);
        }
    }

    static final List<Caller> ORDER = List.of(Caller.ANONYMOUS, Caller.NON_MEMBER, Caller.REMOVED, Caller.LATE,
            Caller.ANALYST, Caller.AUDITOR, Caller.ADMIN, Caller.MEMBER);

    record Row(String endpoint, Map<Caller, String> expected, Set<Caller> knownLeaks) {
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mvc;

    @Autowired
    PathMappedEndpoints actuator;

    @Autowired
    SimpAnnotationMethodMessageHandler stomp;

    @Autowired
    io.parley.command.account.AccountDirectory credentials;

    @Autowired
    org.springframework.security.crypto.password.PasswordEncoder passwords;

    // the fixture
    User owner;
    Map<Caller, User> users = new LinkedHashMap<>();
    String group;
    String direct;
    long ownerSeq;
    long memberEditSeq;
    long memberDeleteSeq;
    long memberStompEditSeq;
    String inviteToken;
    String joinToken;
    long memberStompDeleteSeq;
    String mediaId;
    String memberDevice;
    User anonymousAccount;
    String anonymous;

    @Test
    void everyMappedEndpointIsInTheMatrixAndAnswersAsItSays() throws Exception {
        Map<String, Row> matrix = parse(Files.readAllLines(MATRIX));

        Set<String> mapped = new TreeSet<>();
        mvc.getHandlerMethods().keySet().forEach(info -> {
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) {
                methods.add("*");
            }
            for (String pattern : info.getPatternValues()) {
                methods.forEach(m -> mapped.add(m + " " + pattern));
            }
        });
        mapped.add("GET " + actuator.getBasePath());
        actuator.getAllPaths().forEach(p -> mapped.add("GET " + p));
        stomp.getHandlerMethods().keySet().forEach(info -> info.getDestinationConditions().getPatterns()
                .forEach(d -> mapped.add((info.getMessageTypeMessageCondition().getMessageType() == SimpMessageType.SUBSCRIBE
                        ? "SUBSCRIBE" : "SEND") + " /app" + d)));
        for (LiveQueue q : LiveQueue.values()) {
            mapped.add("SUBSCRIBE /user/queue/" + q.queueName());
        }
        Set<String> missing = new TreeSet<>(mapped);
        missing.removeAll(matrix.keySet());
        assertThat(missing).as("mapped endpoints without a row in " + MATRIX + " (review them, then add rows)").isEmpty();
        Set<String> stale = new TreeSet<>(matrix.keySet());
        stale.removeAll(mapped);
        assertThat(stale).as("rows in " + MATRIX + " for endpoints no longer mapped").isEmpty();

        setUp();
        Map<String, BiFunction<Caller, User, String>> probes = probes();
        List<String> failures = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        StringBuilder observed = new StringBuilder();
        for (Row row : matrix.values()) {
            BiFunction<Caller, User, String> probe = probes.get(row.endpoint());
            assertThat(probe).as("no probe for " + row.endpoint()).isNotNull();
            observed.append("| `").append(row.endpoint()).append("` |");
            Map<Caller, String> seen = new LinkedHashMap<>();
            for (Caller caller : ORDER) {
                String expected = row.expected().get(caller);
                if (expected == null || expected.equals("-")) {
                    seen.put(caller, "-");
                    continue;
                }
                String actual;
                try {
                    actual = probe.apply(caller, users.get(caller));
                } catch (RuntimeException e) {
                    actual = "exception " + e;
                }
                seen.put(caller, actual);
                if (!expected.equals(actual)) {
                    String line = row.endpoint() + " as " + caller.column + ": expected " + expected + ", got " + actual;
                    (row.knownLeaks().contains(caller) ? leaks : failures).add(line);
                } else if (row.knownLeaks().contains(caller)) {
                    failures.add(row.endpoint() + " as " + caller.column + ": marked a known leak but answers "
                            + actual + " as expected; drop the flag");
                }
            }
            for (Caller c : Caller.values()) {
                observed.append(' ').append(seen.get(c)).append(" |");
            }
            observed.append('\n');
        }
        System.out.println("Authorization matrix as observed:\n" + observed);
        leaks.forEach(l -> System.out.println("KNOWN LEAK (not failed): " + l));
        assertThat(failures).as("answers differing from " + MATRIX).isEmpty();
    }

    /** The table rows of the matrix: a header row naming the callers, then one row per endpoint. */
    static Map<String, Row> parse(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> header = null;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.lastIndexOf('|')).split("\\|", -1)) {
                cells.add(c.strip());
            }
            if (header == null) {
                header = cells;
                continue;
            }
            if (cells.get(0).startsWith("---") || !cells.get(0).startsWith("`")) {
                continue;
            }
            String endpoint = cells.get(0).replace("`", "");
            Map<Caller, String> expected = new LinkedHashMap<>();
            Set<Caller> leaks = new LinkedHashSet<>();
            for (int i = 1; i < header.size(); i++) {
                String column = header.get(i);
                if (column.equalsIgnoreCase("known leak")) {
                    for (String c : cells.get(i).split(",")) {
                        if (!c.isBlank()) {
                            leaks.add(Caller.of(c));
                        }
                    }
                } else if (!column.equalsIgnoreCase("notes")) {
                    expected.put(Caller.of(column), cells.get(i));
                }
            }
            if (rows.put(endpoint, new Row(endpoint, expected, leaks)) != null) {
                throw new IllegalStateException("two rows for " + endpoint);
            }
        }
        return rows;
    }

    // ---- the fixture: a group with a member, a removed member and a late joiner, a direct chat, roles

    private void setUp() throws Exception {
        User admin = api.admin();
        owner = api.signUp("mxowner");
        User member = api.signUp("mxmember");
        User removed = api.signUp("mxremoved");
        User late = api.signUp("mxlate");
        users.put(Caller.MEMBER, member);
        users.put(Caller.NON_MEMBER, api.signUp("mxstranger"));
        users.put(Caller.REMOVED, removed);
        users.put(Caller.LATE, late);
        users.put(Caller.ANALYST, withRole(admin, api.signUp("mxanalyst"), "ANALYST"));
        users.put(Caller.AUDITOR, withRole(admin, api.signUp("mxauditor"), "AUDITOR"));
        users.put(Caller.ADMIN, admin);
        anonymousAccount = api.signUp("mxanon");

        group = api.post("/api/conversations", Map.of("type", "GROUP", "title", "matrix",
                "memberIds", List.of(member.id(), removed.id())), owner.accessToken()).json().get("id").asText();
        direct = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", member.id()),
                owner.accessToken()).json().get("id").asText();
        mediaId = upload(owner).json().get("id").asText();
        ownerSeq = send(owner, group, Map.of("text", "before anyone left")).json().get("seq").asLong();
        send(owner, group, Map.of("text", "a picture", "mediaId", mediaId));
        memberEditSeq = send(member, group, Map.of("text", "to edit")).json().get("seq").asLong();
        memberDeleteSeq = send(member, group, Map.of("text", "to delete")).json().get("seq").asLong();
        memberStompEditSeq = send(member, group, Map.of("text", "to edit over STOMP")).json().get("seq").asLong();
        memberStompDeleteSeq = send(member, group, Map.of("text", "to delete over STOMP")).json().get("seq").asLong();
        status(api.delete("/api/conversations/" + group + "/members/" + removed.id(), owner.accessToken()), 204);
        status(api.post("/api/conversations/" + group + "/members", Map.of("userId", late.id()), owner.accessToken()), 204);
        send(owner, group, Map.of("text", "after the late joiner came"));
        inviteToken = status(api.post("/api/conversations/" + group + "/invites", Map.of(), owner.accessToken()), 201)
                .json().get("token").asText();
        String joinable = status(api.post("/api/conversations", Map.of("type", "GROUP", "title", "matrix invites",
                "memberIds", List.of()), owner.accessToken()), 201).json().get("id").asText();
        joinToken = status(api.post("/api/conversations/" + joinable + "/invites", Map.of(), owner.accessToken()), 201)
                .json().get("token").asText();
        memberDevice = api.post("/api/devices", Map.of("platform", "ANDROID", "token", "t-" + UUID.randomUUID()),
                member.accessToken()).json().get("id").asText();
        // the views follow the event store: wait until they show the fixture as it is
        await(() -> api.get("/api/conversations/" + group, late.accessToken()).status() == 200
                && api.get("/api/media/" + mediaId, member.accessToken()).status() == 200
                && api.get("/api/conversations/" + group + "/members", owner.accessToken()).body().contains(late.id())
                && !api.get("/api/conversations/" + group + "/members", owner.accessToken()).body().contains(removed.id()));
    }

    private User withRole(User admin, User user, String role) throws Exception {
        status(api.put("/api/admin/accounts/" + user.id() + "/roles", Map.of("roles", List.of(role)), admin.accessToken()), 204);
        User[] signedIn = new User[1];
        await(() -> {
            signedIn[0] = api.signIn(user.id(), user.handle(), user.displayName(), Api.PASSWORD);
            return claims(signedIn[0].accessToken()).path("roles").toString().contains(role);
        });
        return signedIn[0];
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(User from, String conversation, Map<String, Object> body) {
        Map<String, Object> message = new LinkedHashMap<>(body);
        message.put("clientMessageId", UUID.randomUUID().toString());
        return status(api.post("/api/conversations/" + conversation + "/messages", message, from.accessToken()), 201);
    }

    private static Response status(Response response, int expected) {
        if (response.status() != expected) {
            throw new IllegalStateException("fixture step answered " + response.status() + ": " + response.body());
        }
        return response;
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the fixture did not settle in 20 s");
            }
            Thread.sleep(100);
        }
    }

    private Response upload(User user) {
        try {
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            String boundary = "matrix" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dot.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(png.toByteArray());
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/media"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            if (user != null) {
                request.header("Authorization", "Bearer " + user.accessToken());
            }
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null),
                    answer.body(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- one valid request per row; the answer as the matrix writes it

    private Map<String, BiFunction<Caller, User, String>> probes() {
        Map<String, BiFunction<Caller, User, String>> p = new LinkedHashMap<>();
        String c = "/api/conversations/";
        p.put("POST /api/accounts", (k, u) -> rest("POST", "/api/accounts", Map.of("handle", Api.uniqueHandle("mxnew"),
                "displayName", "New", "password", Api.PASSWORD), u));
        p.put("POST /api/auth/token", (k, u) -> rest("POST", "/api/auth/token", Map.of("handle",
                u == null ? anonymousAccount.handle() : u.handle(), "password",
                k == Caller.ADMIN ? Api.ADMIN_PASSWORD : Api.PASSWORD), u));
        p.put("POST /api/auth/refresh", (k, u) -> rest("POST", "/api/auth/refresh", Map.of("refreshToken",
                u == null ? anonymousAccount.refreshToken() : u.refreshToken()), u));
        // a session of its own, signed in for the probe: the caller's other sessions go on
        p.put("POST /api/auth/sign-out", (k, u) -> rest("POST", "/api/auth/sign-out", Map.of("refreshToken",
                freshRefreshToken(k, u)), u));
        p.put("POST /api/auth/logout", (k, u) -> rest("POST", "/api/auth/logout", Map.of("refreshToken",
                freshRefreshToken(k, u)), u));
        p.put("POST /api/auth/sign-out-all", (k, u) -> rest("POST", "/api/auth/sign-out-all", Map.of(), u));
        p.put("GET /api/me", (k, u) -> rest("GET", "/api/me", null, u));
        p.put("PUT /api/me/privacy", (k, u) -> rest("PUT", "/api/me/privacy", Map.of("lastSeen", "EVERYONE"), u));
        p.put("GET /api/me/sessions", (k, u) -> rest("GET", "/api/me/sessions", null, u));
        // a session of its own, signed in for the probe (found as the current one of its own access token)
        p.put("DELETE /api/me/sessions/{id}", (k, u) -> rest("DELETE", "/api/me/sessions/"
                + (u == null ? UUID.randomUUID().toString() : freshSessionId(k, u)), null, u));
        // changed, then put back in the credentials table (the admin's test password fails the policy: it holds the
        // handle), so later rows and other test classes sign in with the usual password
        p.put("PUT /api/me/password", (k, u) -> {
            String current = k == Caller.ADMIN ? Api.ADMIN_PASSWORD : Api.PASSWORD;
            String answer = rest("PUT", "/api/me/password", Map.of("oldPassword", current,
                    "newPassword", "matrix changed pw " + UUID.randomUUID()), u);
            if (u != null) {
                credentials.updatePassword(u.id(), passwords.encode(current));
            }
            return answer;
        });
        p.put("PUT /api/me/display-name", (k, u) -> rest("PUT", "/api/me/display-name",
                Map.of("displayName", u == null ? "Nobody" : u.displayName()), u));
        // a wrong password: every caller keeps their account (AccountDeletionIT deletes one)
        p.put("DELETE /api/me", (k, u) -> rest("DELETE", "/api/me", Map.of("password", "not the password"), u));
        // blocking: a fresh account as the target, so no other row's caller is blocked by anyone
        p.put("POST /api/me/blocked/{userId}", (k, u) -> rest("POST", "/api/me/blocked/" + api.signUp("mxblk").id(),
                null, u));
        p.put("DELETE /api/me/blocked/{userId}", (k, u) -> rest("DELETE", "/api/me/blocked/" + api.signUp("mxunb").id(),
                null, u));
        p.put("GET /api/me/blocked", (k, u) -> rest("GET", "/api/me/blocked", null, u));
        // reports and moderation: every probe brings its own target, so a success consumes nothing shared
        p.put("POST /api/reports", (k, u) -> rest("POST", "/api/reports", Map.of("conversationId", group,
                "reason", "matrix"), u));
        p.put("GET /api/admin/reports", (k, u) -> rest("GET", "/api/admin/reports", null, u));
        p.put("POST /api/admin/reports/{id}/resolve", (k, u) -> rest("POST", "/api/admin/reports/" + freshReport()
                + "/resolve", Map.of("note", "matrix"), u));
        p.put("POST /api/admin/accounts/{id}/suspend", (k, u) -> rest("POST", "/api/admin/accounts/"
                + api.signUp("mxsus").id() + "/suspend", Map.of("reason", "matrix"), u));
        p.put("POST /api/admin/accounts/{id}/reinstate", (k, u) -> rest("POST", "/api/admin/accounts/"
                + api.signUp("mxrei").id() + "/reinstate", null, u));
        p.put("DELETE /api/admin/conversations/{id}/messages/{seq}", (k, u) -> rest("DELETE", "/api/admin/conversations/"
                + group + "/messages/" + send(owner, group, Map.of("text", "to moderate")).json().get("seq").asLong(),
                null, u));
        p.put("DELETE /api/admin/conversations/{id}/members/{userId}", (k, u) -> rest("DELETE",
                "/api/admin/conversations/" + group + "/members/" + spareMember(), null, u));
        p.put("GET /api/users", (k, u) -> rest("GET", "/api/users?query=" + owner.handle(), null, u));
        p.put("GET /api/users/by-handle/{handle}", (k, u) -> rest("GET", "/api/users/by-handle/" + owner.handle(), null, u));
        p.put("GET /api/users/{id}", (k, u) -> rest("GET", "/api/users/" + owner.id(), null, u));
        p.put("GET /api/users/{id}/presence", (k, u) -> rest("GET", "/api/users/" + owner.id() + "/presence", null, u));
        p.put("PUT /api/admin/accounts/{id}/roles", (k, u) -> rest("PUT", "/api/admin/accounts/"
                + api.signUp("mxspare").id() + "/roles", Map.of("roles", List.of("USER")), u));
        p.put("GET /api/admin/dead-letters", (k, u) -> rest("GET", "/api/admin/dead-letters", null, u));
        p.put("GET /api/admin/dead-letters/{processor}", (k, u) -> rest("GET", "/api/admin/dead-letters/media-access", null, u));
        p.put("POST /api/admin/dead-letters/{processor}/retry", (k, u) -> rest("POST",
                "/api/admin/dead-letters/media-access/retry", null, u));
        p.put("GET /api/admin/replay", (k, u) -> rest("GET", "/api/admin/replay", null, u));
        p.put("POST /api/admin/replay", (k, u) -> rest("POST", "/api/admin/replay",
                Map.of("processors", List.of("no-such-processor")), u));
        p.put("GET /api/admin/replay/{id}", (k, u) -> rest("GET", "/api/admin/replay/" + UUID.randomUUID(), null, u));
        for (String a : List.of("volume", "conversations/top", "media-mix", "receipt-latency")) {
            p.put("GET /api/analytics/" + a, (k, u) -> rest("GET", "/api/analytics/" + a, null, u));
        }
        p.put("GET /api/audit/events", (k, u) -> rest("GET", "/api/audit/events?conversationId=" + group + "&limit=5", null, u));
        p.put("GET /api/audit/export", (k, u) -> rest("GET", "/api/audit/export?conversationId=" + group, null, u));
        p.put("GET /api/audit/conversations/{id}/state", (k, u) -> rest("GET", "/api/audit/conversations/" + group
                + "/state", null, u));
        p.put("GET /api/audit/verify", (k, u) -> rest("GET", "/api/audit/verify", null, u));
        p.put("GET /api/conversations", (k, u) -> rest("GET", "/api/conversations", null, u));
        p.put("POST /api/conversations", (k, u) -> rest("POST", "/api/conversations", Map.of("type", "GROUP",
                "title", "own", "memberIds", List.of()), u));
        p.put("GET /api/conversations/{id}", (k, u) -> rest("GET", c + group, null, u));
        p.put("GET /api/conversations/{id}/members", (k, u) -> rest("GET", c + group + "/members", null, u));
        p.put("POST /api/conversations/{id}/members", (k, u) -> rest("POST", c + group + "/members",
                Map.of("userId", api.signUp("mxadd").id()), u));
        p.put("DELETE /api/conversations/{id}/members/{userId}", (k, u) -> rest("DELETE", c + group + "/members/"
                + spareMember(), null, u));
        p.put("PUT /api/conversations/{id}/title", (k, u) -> rest("PUT", c + group + "/title", Map.of("text", "renamed"), u));
        p.put("POST /api/conversations/{id}/admins", (k, u) -> rest("POST", c + group + "/admins",
                Map.of("userId", spareMember()), u));
        p.put("DELETE /api/conversations/{id}/admins/{userId}", (k, u) -> rest("DELETE", c + group + "/admins/"
                + spareMember(), null, u));
        p.put("PUT /api/conversations/{id}/description", (k, u) -> rest("PUT", c + group + "/description",
                Map.of("text", "about"), u));
        p.put("PUT /api/conversations/{id}/avatar", (k, u) -> rest("PUT", c + group + "/avatar",
                Map.of("mediaId", mediaId), u));
        p.put("PUT /api/conversations/{id}/announcement", (k, u) -> rest("PUT", c + group + "/announcement",
                Map.of("enabled", false), u));
        p.put("POST /api/conversations/{id}/invites", (k, u) -> rest("POST", c + group + "/invites", Map.of(), u));
        p.put("DELETE /api/conversations/{id}/invites/{token}", (k, u) -> rest("DELETE", c + group + "/invites/"
                + inviteToken, null, u));
        p.put("POST /api/invites/{token}/join", (k, u) -> rest("POST", "/api/invites/" + joinToken + "/join", null, u));
        p.put("GET /api/conversations/{id}/messages", (k, u) -> rest("GET", c + group + "/messages", null, u));
        p.put("POST /api/conversations/{id}/messages", (k, u) -> rest("POST", c + group + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "hello"), u));
        p.put("PUT /api/conversations/{id}/messages/{seq}", (k, u) -> rest("PUT", c + group + "/messages/"
                + memberEditSeq, Map.of("text", "edited"), u));
        p.put("DELETE /api/conversations/{id}/messages/{seq}", (k, u) -> rest("DELETE", c + group + "/messages/"
                + memberDeleteSeq, null, u));
        p.put("PUT /api/conversations/{id}/messages/{seq}/reaction", (k, u) -> rest("PUT", c + group + "/messages/"
                + ownerSeq + "/reaction", Map.of("emoji", "👍"), u));
        p.put("POST /api/conversations/{id}/messages/{seq}/forward", (k, u) -> rest("POST", c + group + "/messages/"
                + ownerSeq + "/forward", Map.of("to", List.of(group)), u));
        p.put("PUT /api/conversations/{id}/messages/{seq}/star", (k, u) -> rest("PUT", c + group + "/messages/"
                + ownerSeq + "/star", null, u));
        p.put("DELETE /api/conversations/{id}/messages/{seq}/star", (k, u) -> rest("DELETE", c + group + "/messages/"
                + ownerSeq + "/star", null, u));
        p.put("GET /api/me/starred", (k, u) -> rest("GET", "/api/me/starred", null, u));
        p.put("GET /api/conversations/{id}/messages/{seq}/receipts", (k, u) -> rest("GET", c + group + "/messages/"
                + ownerSeq + "/receipts", null, u));
        p.put("POST /api/conversations/{id}/receipts/delivered", (k, u) -> rest("POST", c + group
                + "/receipts/delivered", Map.of("upToSeq", ownerSeq), u));
        p.put("POST /api/conversations/{id}/receipts/read", (k, u) -> rest("POST", c + group + "/receipts/read",
                Map.of("upToSeq", ownerSeq), u));
        p.put("PUT /api/conversations/{id}/mute", (k, u) -> rest("PUT", c + group + "/mute", Map.of(), u));
        p.put("DELETE /api/conversations/{id}/mute", (k, u) -> rest("DELETE", c + group + "/mute", null, u));
        p.put("GET /api/sync", (k, u) -> rest("GET", "/api/sync", null, u));
        p.put("POST /api/sync", (k, u) -> rest("POST", "/api/sync", Map.of("since", Map.of(group, 0)), u));
        p.put("GET /api/search", (k, u) -> rest("GET", "/api/search?q=anyone", null, u));
        p.put("POST /api/media", (k, u) -> Integer.toString(upload(u).status()));
        p.put("GET /api/media/{id}", (k, u) -> rest("GET", "/api/media/" + mediaId, null, u));
        p.put("GET /api/media/{id}/thumbnail", (k, u) -> rest("GET", "/api/media/" + mediaId + "/thumbnail", null, u));
        p.put("POST /api/devices", (k, u) -> rest("POST", "/api/devices", Map.of("platform", "ANDROID",
                "token", "t-" + UUID.randomUUID()), u));
        p.put("GET /api/devices", (k, u) -> rest("GET", "/api/devices", null, u));
        p.put("DELETE /api/devices/{id}", (k, u) -> rest("DELETE", "/api/devices/" + memberDevice, null, u));
        p.put("* /error", (k, u) -> rest("GET", "/error", null, u));
        for (String doc : List.of("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config", "/swagger-ui.html")) {
            p.put("GET " + doc, (k, u) -> rest("GET", doc, null, u));
        }
        p.put("GET /actuator", (k, u) -> rest("GET", "/actuator", null, u));
        for (String a : List.of("health", "info", "metrics", "prometheus")) {
            p.put("GET /actuator/" + a, (k, u) -> rest("GET", "/actuator/" + a, null, u));
        }
        p.put("SEND /app/messages.send", (k, u) -> stompSend(u, "/app/messages.send", Map.of("conversationId", group,
                "clientMessageId", UUID.randomUUID().toString(), "text", "over STOMP"), true));
        p.put("SEND /app/messages.edit", (k, u) -> stompSend(u, "/app/messages.edit", Map.of("conversationId", group,
                "seq", memberStompEditSeq, "text", "edited over STOMP", "clientMessageId", UUID.randomUUID().toString()),
                true));
        p.put("SEND /app/messages.delete", (k, u) -> stompSend(u, "/app/messages.delete", Map.of("conversationId",
                group, "seq", memberStompDeleteSeq, "clientMessageId", UUID.randomUUID().toString()), true));
        p.put("SEND /app/messages.react", (k, u) -> stompSend(u, "/app/messages.react", Map.of("conversationId",
                group, "seq", ownerSeq, "emoji", "👍", "clientMessageId", UUID.randomUUID().toString()), true));
        p.put("SEND /app/receipts.delivered", (k, u) -> stompSend(u, "/app/receipts.delivered",
                Map.of("conversationId", group, "upToSeq", ownerSeq), false));
        p.put("SEND /app/receipts.read", (k, u) -> stompSend(u, "/app/receipts.read",
                Map.of("conversationId", group, "upToSeq", ownerSeq), false));
        p.put("SEND /app/typing", (k, u) -> stompSend(u, "/app/typing", Map.of("conversationId", group, "typing", true), false));
        p.put("SEND /app/presence.ping", (k, u) -> stompSend(u, "/app/presence.ping", Map.of(), false));
        p.put("SEND /app/session.token", (k, u) -> stompSend(u, "/app/session.token",
                Map.of("accessToken", u == null ? "" : u.accessToken()), false));
        for (LiveQueue q : LiveQueue.values()) {
            p.put("SUBSCRIBE /user/queue/" + q.queueName(), (k, u) -> stompSubscribe(u, "/user/queue/" + q.queueName()));
        }
        return p;
    }

    /** A fresh open report of the group by its owner, so a resolution that succeeds consumes nothing shared. */
    private String freshReport() {
        Response filed = api.post("/api/reports", Map.of("conversationId", group, "reason", "matrix"),
                owner.accessToken());
        status(filed, 201);
        return filed.json().get("id").asText();
    }

    /** A fresh plain member of the group, so a removal or promotion that succeeds consumes nothing shared. */
    private String spareMember() {
        User spare = api.signUp("mxspare");
        status(api.post("/api/conversations/" + group + "/members", Map.of("userId", spare.id()), owner.accessToken()), 204);
        return spare.id();
    }

    private String freshRefreshToken(Caller caller, User user) {
        User account = user == null ? anonymousAccount : user;
        return api.post("/api/auth/token", Map.of("handle", account.handle(), "password",
                caller == Caller.ADMIN ? Api.ADMIN_PASSWORD : Api.PASSWORD), null).json().get("refreshToken").asText();
    }

    private String freshSessionId(Caller caller, User user) {
        Response signIn = api.post("/api/auth/token", Map.of("handle", user.handle(), "password",
                caller == Caller.ADMIN ? Api.ADMIN_PASSWORD : Api.PASSWORD), null);
        status(signIn, 200);
        for (JsonNode session : api.get("/api/me/sessions", signIn.json().get("accessToken").asText()).json()) {
            if (session.get("current").asBoolean()) {
                return session.get("id").asText();
            }
        }
        throw new IllegalStateException("a fresh sign-in lists no current session");
    }

    private String rest(String method, String path, Object body, User user) {
        return Integer.toString(api.send(method, path, body, user == null ? null : user.accessToken()).status());
    }

    /**
     * {@code ok} when the frame was handled (an ack without error for a send, else no refusal on the errors
     * queue within a second); {@code refused} for an error ack, an error frame, or no session at all.
     */
    private String stompSend(User user, String destination, Object body, boolean acked) {
        if (user == null) {
            return anonymousConnect();
        }
        try (StompTestClient client = connectOnce(() -> StompTestClient.connect(port, user.accessToken()))) {
            client.send(destination, body);
            if (acked) {
                JsonNode ack = client.next("acks", Duration.ofSeconds(10));
                return ack != null && ack.path("error").isMissingNode() && ack.has("seq") ? "ok" : "refused";
            }
            JsonNode error = client.next("errors", Duration.ofSeconds(1));
            return error == null && client.isConnected() ? "ok" : "refused";
        }
    }

    private String stompSubscribe(User user, String destination) {
        if (user == null) {
            return anonymousConnect();
        }
        // a fresh session without the six subscriptions connect() makes: a second SUBSCRIBE to one is refused
        try (StompTestClient client = connectOnce(() ->
                StompTestClient.connectWithoutSubscriptions(port, user.accessToken()))) {
            CountDownLatch receipt = new CountDownLatch(1);
            StompSession.Subscription s = client.subscribe(destination, "probe");
            s.addReceiptTask(receipt::countDown);
            boolean confirmed = receipt.await(10, TimeUnit.SECONDS);
            return confirmed && client.isConnected() ? "ok" : "refused";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A signed-in caller's session, tried a second time when the first connect or its subscriptions did not
     * complete: on a loaded machine a handshake can miss its timeout, which says nothing about authorization (a
     * refused CONNECT is an ERROR frame and fails both attempts the same way).
     */
    private static StompTestClient connectOnce(java.util.function.Supplier<StompTestClient> connect) {
        try {
            return connect.get();
        } catch (IllegalStateException first) {
            try {
                return connect.get();
            } catch (IllegalStateException second) {
                second.addSuppressed(first);
                throw new IllegalStateException("STOMP connect failed twice: " + second.getCause(), second);
            }
        }
    }

    /** Without a token the CONNECT itself is refused, so nothing can be sent or subscribed. */
    private String anonymousConnect() {
        if (anonymous == null) {
            try {
                anonymous = StompTestClient.connectRefused(port, new StompHeaders()) != null ? "refused" : "ok";
            } catch (Exception e) {
                anonymous = "refused";
            }
        }
        return anonymous;
    }
}
