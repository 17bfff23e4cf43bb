package io.parley.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import io.parley.gateway.support.StompTestClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaks and holes of issue 15, driven from outside like a client: presence to strangers, ghost members and
 * U+0000 in text inputs, lockout of a victim by anonymous wrong passwords, and the open Actuator. Each test
 * failed on the code before the fix. Requests "from another address" go through a socket bound to another
 * loopback address (127.0.0.0/8 all reaches this machine), so the server sees a different client address.
 */
class PrivacyAndAbuseIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---------------------------------------------------------------- 1. presence to contacts only

    @Test
    void presenceGoesToTheUserAndTheirContactsOnly() {
        User ann = api.signUp("pra");
        User ben = api.signUp("prb");
        User cal = api.signUp("prc");
        User stranger = api.signUp("prs");
        assertThat(api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", ben.id()), ann.accessToken())
                .status()).isEqualTo(201);
        String gid = api.post("/api/conversations", Map.of("type", "GROUP", "title", "pr", "memberIds", List.of(cal.id())),
                ann.accessToken()).json().get("id").asText();
        // ann was online once: a last seen exists
        StompTestClient.connect(port, ann.accessToken()).close();

        // the disconnect is handled asynchronously: wait until it shows
        Response byContact = await(() -> presence(ann, ben), r -> r.status() == 200
                && r.json().get("lastSeenAt").isTextual() && !r.json().get("online").asBoolean());
        assertThat(byContact.json().get("userId").asText()).isEqualTo(ann.id());
        assertThat(byContact.json().get("online").asBoolean()).isFalse();
        assertThat(await(() -> presence(ann, cal), r -> r.status() == 200).status()).isEqualTo(200);
        assertThat(presence(ann, ann).status()).isEqualTo(200);

        // a stranger learns nothing, not even that the account exists: the answer of an unknown id
        Response byStranger = presence(ann, stranger);
        Response unknown = api.get("/api/users/" + UUID.randomUUID() + "/presence", stranger.accessToken());
        assertThat(byStranger.status()).isEqualTo(404);
        assertThat(byStranger.isProblem()).isTrue();
        assertThat(byStranger.json().get("type").asText()).endsWith("/not-found");
        for (String field : List.of("type", "title", "status", "detail")) {
            assertThat(byStranger.json().get(field)).as(field).isEqualTo(unknown.json().get(field));
        }
        assertThat(byStranger.body()).doesNotContain("online");

        // removed from the only shared conversation: a stranger again
        assertThat(api.delete("/api/conversations/" + gid + "/members/" + cal.id(), ann.accessToken()).status())
                .isEqualTo(204);
        assertThat(await(() -> presence(ann, cal), r -> r.status() == 404).status()).isEqualTo(404);

        // last seen follows ann's setting: NOBODY hides it from her contacts, who still see her online status
        assertThat(api.put("/api/me/privacy", Map.of("lastSeen", "NOBODY"), ann.accessToken()).status()).isEqualTo(204);
        Response hidden = await(() -> presence(ann, ben), r -> r.status() == 200 && r.json().get("lastSeenAt").isNull());
        assertThat(hidden.json().has("online")).isTrue();
        assertThat(presence(ann, ann).json().get("lastSeenAt").isTextual()).as("one's own is never hidden").isTrue();
    }

    private Response presence(User subject, User viewer) {
        return api.get("/api/users/" + subject.id() + "/presence", viewer.accessToken());
    }

    private static Response await(Supplier<Response> call, Predicate<Response> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Response last = call.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            sleep(50);
            last = call.get();
        }
        return last;
    }

    // ---------------------------------------------------------------- 2. ghost members, U+0000

    @Test
    void malformedAccountIdsAreRefusedAtTheEdgeAndUnknownOnesByTheAggregate() {
        User ann = api.signUp("gha");
        User ben = api.signUp("ghb");
        String ghost = UUID.randomUUID().toString();
        List<String> malformed = Arrays.asList("not-an-account", ben.id().toUpperCase(Locale.ROOT), " " + ben.id(),
                "a\u0000b", "x".repeat(100_000), ben.id() + "\u0000");

        for (String bad : malformed) {
            assertProblem(api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bad), ann.accessToken()),
                    400, "invalid-account-id");
            assertProblem(api.post("/api/conversations", Map.of("type", "GROUP", "title", "g",
                    "memberIds", List.of(ben.id(), bad)), ann.accessToken()), 400, "invalid-account-id");
        }
        Map<String, Object> nullMember = new LinkedHashMap<>();
        nullMember.put("type", "GROUP");
        nullMember.put("title", "g");
        nullMember.put("memberIds", Arrays.asList(ben.id(), null));
        assertProblem(api.post("/api/conversations", nullMember, ann.accessToken()), 400, "invalid-account-id");

        assertProblem(api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", ghost), ann.accessToken()),
                404, "account-not-found");
        assertProblem(api.post("/api/conversations", Map.of("type", "GROUP", "title", "g",
                "memberIds", List.of(ben.id(), ghost)), ann.accessToken()), 404, "account-not-found");
        assertThat(api.get("/api/conversations", ann.accessToken()).json()).as("nothing was created").isEmpty();

        String gid = api.post("/api/conversations", Map.of("type", "GROUP", "title", "g", "memberIds", List.of()),
                ann.accessToken()).json().get("id").asText();
        for (String bad : malformed) {
            assertProblem(api.post("/api/conversations/" + gid + "/members", Map.of("userId", bad), ann.accessToken()),
                    400, "invalid-account-id");
        }
        assertProblem(api.post("/api/conversations/" + gid + "/members", Map.of("userId", ghost), ann.accessToken()),
                404, "account-not-found");
        assertProblem(api.delete("/api/conversations/" + gid + "/members/not-an-account", ann.accessToken()),
                400, "invalid-account-id");
        assertProblem(api.delete("/api/conversations/" + gid + "/members/" + ben.id().toUpperCase(Locale.ROOT),
                ann.accessToken()), 400, "invalid-account-id");
        assertThat(api.post("/api/conversations/" + gid + "/members", Map.of("userId", ben.id()), ann.accessToken())
                .status()).isEqualTo(204);
        assertThat(await(() -> api.get("/api/conversations/" + gid + "/members", ann.accessToken()),
                r -> r.json().size() == 2).json()).hasSize(2);
    }

    @Test
    void nulIsRefusedWith400InEveryTextInput() {
        User ann = api.signUp("nua");
        User ben = api.signUp("nub");
        String gid = api.post("/api/conversations", Map.of("type", "GROUP", "title", "nul", "memberIds", List.of(ben.id())),
                ann.accessToken()).json().get("id").asText();

        assertProblem(api.post("/api/conversations/" + gid + "/messages",
                Map.of("clientMessageId", "c1", "text", "a\u0000b"), ann.accessToken()), 400, "invalid-text");
        assertProblem(api.put("/api/conversations/" + gid + "/title", Map.of("text", "t\u0000"), ann.accessToken()),
                400, "invalid-request");
        assertProblem(api.post("/api/conversations", Map.of("type", "GROUP", "title", "x\u0000y",
                "memberIds", List.of(ben.id())), ann.accessToken()), 400, "invalid-request");
        assertProblem(api.post("/api/accounts", Map.of("handle", Api.uniqueHandle("nu") + "\u0000",
                "displayName", "N", "password", Api.PASSWORD), null), 400, "invalid-handle");
        assertProblem(api.post("/api/accounts", Map.of("handle", Api.uniqueHandle("nu"),
                "displayName", "Nul\u0000Name", "password", Api.PASSWORD), null), 400, "invalid-display-name");
        assertProblem(api.post("/api/auth/token", Map.of("handle", ann.handle() + "\u0000", "password", Api.PASSWORD),
                null), 400, "invalid-handle");

        String boundary = "----parley" + UUID.randomUUID();
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"cat\u0000.png\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "hello\r\n--" + boundary + "--\r\n";
        assertProblem(api.send("POST", "/api/media", body, "multipart/form-data; boundary=" + boundary,
                ann.accessToken()), 400, "invalid-file-name");

        // nothing of it was stored: the group's history is empty and the title unchanged
        JsonNode details = await(() -> api.get("/api/conversations/" + gid, ann.accessToken()), r -> r.status() == 200)
                .json();
        assertThat(details.get("title").asText()).isEqualTo("nul");
        assertThat(details.get("lastSeq").asLong()).isZero();
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.contentType()).isTrue();
        assertThat(response.json().get("type").asText()).isEqualTo("https://parley.io/problems/" + code);
    }

    // ---------------------------------------------------------------- 3. no lockout of anyone

    @Test
    void anonymousWrongPasswordsSlowTheirAddressNeverTheOwner() {
        User owner = api.signUp("lko");
        String attacker = "127.0.0.2";
        boolean waited = false;
        for (int i = 1; i <= 10; i++) {
            // the handle in every spelling counts as one: " HANDLE " is "handle"
            String spelling = i % 2 == 0 ? " " + owner.handle().toUpperCase(Locale.ROOT) + " " : owner.handle();
            Raw wrong = postFrom(attacker, "/api/auth/token", Map.of("handle", spelling, "password", "wrong password " + i));
            if (i <= 5) {
                assertThat(wrong.status()).as("free failure %d", i).isEqualTo(401);
            } else if (wrong.status() == 429) {
                // from the 6th failure on, each one makes the attacker's (handle, address) wait, 1 s doubling
                waited = true;
                assertThat(wrong.json().get("type").asText()).endsWith("/too-many-attempts");
                assertThat(Long.parseLong(wrong.header("retry-after"))).isBetween(1L, 900L);
            } else {
                assertThat(wrong.status()).isEqualTo(401);
            }
        }
        assertThat(waited).as("the attacker was made to wait").isTrue();
        // ... while the owner, from their own address, signs in at once, in any spelling of the handle
        assertThat(api.post("/api/auth/token", Map.of("handle", owner.handle(), "password", Api.PASSWORD), null)
                .status()).isEqualTo(200);
        assertThat(api.post("/api/auth/token", Map.of("handle", " " + owner.handle().toUpperCase(Locale.ROOT) + " ",
                "password", Api.PASSWORD), null).status()).isEqualTo(200);
        assertThat(postFrom("127.0.0.3", "/api/auth/token", Map.of("handle", owner.handle(), "password", Api.PASSWORD))
                .status()).isEqualTo(200);
    }

    @Test
    void oneAddressGetsFiftyFreeFailuresWhateverTheHandles() {
        String sprayer = "127.0.0.4";
        for (int i = 0; i < 50; i++) {
            Raw wrong = postFrom(sprayer, "/api/auth/token",
                    Map.of("handle", Api.uniqueHandle("spray"), "password", "wrong password"));
            assertThat(wrong.status()).as("free failure %d", i + 1).isEqualTo(401);
        }
        // the 51st failure starts the address's waits (1 s, then 2 s, ...): within a few attempts one is refused
        Raw waiting = null;
        for (int i = 0; i < 5 && (waiting == null || waiting.status() != 429); i++) {
            waiting = postFrom(sprayer, "/api/auth/token", Map.of("handle", Api.uniqueHandle("spray"), "password", "x"));
        }
        assertThat(waiting.status()).isEqualTo(429);
        assertThat(waiting.json().get("type").asText()).endsWith("/too-many-attempts");
        assertThat(Long.parseLong(waiting.header("retry-after"))).isBetween(1L, 16L);
        // everyone else is unaffected
        User other = api.signUp("lkp");
        assertThat(api.post("/api/auth/token", Map.of("handle", other.handle(), "password", Api.PASSWORD), null)
                .status()).isEqualTo(200);
    }

    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An HTTP/1.1 POST from a socket bound to {@code localAddress}: the server sees that client address. */
    private Raw postFrom(String localAddress, String path, Object body) {
        byte[] payload = Api.write(body).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + payload.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            String responseBody = text.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                responseBody = unchunk(responseBody);
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, responseBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            // sizes count bytes; the problem bodies are ASCII
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    // ---------------------------------------------------------------- 4. actuator

    @Test
    void actuatorShowsAnonymousCallersHealthStatusAndInfoOnly() {
        User user = api.signUp("act");
        User admin = api.admin();

        Response health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().has("components")).as(health.body()).isFalse();
        assertThat(health.json().has("details")).isFalse();
        assertThat(api.get("/actuator/health", user.accessToken()).json().has("components"))
                .as("details are for ADMIN").isFalse();
        assertThat(api.get("/actuator/health", admin.accessToken()).json().get("components").get("db")
                .get("details")).isNotNull();
        assertThat(api.get("/actuator/info", null).status()).isEqualTo(200);

        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used")) {
            Response anonymous = api.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("http_server_requests");
            assertThat(api.get(path, user.accessToken()).status()).as(path).isEqualTo(403);
            assertThat(api.get(path, admin.accessToken()).status()).as(path).isEqualTo(200);
        }
        assertThat(api.get("/actuator/prometheus", admin.accessToken()).body()).contains("jvm_memory_used_bytes");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
