package io.parley.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid REST input found from outside (issue 15, "Invalid input accepted", "Type from bytes"): each request
 * below was once accepted (204/200/201) or stored under a wrong type; now each is a 400 problem with a type a
 * client can switch on, and a file's type comes from its bytes.
 */
class InvalidInputIT extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Made once: sign-ups cost a password hash each, and every case needs only a member of a conversation. */
    private static User alice;
    private static User bob;
    private static String direct;

    @BeforeEach
    void conversation() {
        if (alice == null) {
            alice = api.signUp("input");
            bob = api.signUp("input");
            Response created = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", bob.id()),
                    alice.accessToken());
            assertThat(created.status()).as(created.body()).isIn(200, 201);
            direct = created.json().get("id").asText();
            Response sent = api.post("/api/conversations/" + direct + "/messages",
                    Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "hello"), alice.accessToken());
            assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        }
    }

    /** Body bytes as hex, so that malformed UTF-8 reaches the server exactly as written. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // trailing garbage after the JSON value
            "receipts, '{\"upToSeq\": 1} garbage', application/json, malformed-body",
            "receipts, '{\"upToSeq\": 1}{\"upToSeq\": 2}', application/json, malformed-body",
            "message, '{\"clientMessageId\": \"c1\", \"text\": \"hi\"}]', application/json, malformed-body",
            // malformed UTF-8 inside a string: a lone continuation byte, an overlong NUL, an encoded surrogate, a cut sequence
            "message, '{\"clientMessageId\": \"c2\", \"text\": \"a<80>b\"}', application/json, malformed-body|invalid-encoding",
            "message, '{\"clientMessageId\": \"c3\", \"text\": \"a<C0><80>b\"}', application/json, invalid-encoding",
            "message, '{\"clientMessageId\": \"c4\", \"text\": \"a<ED><A0><80>b\"}', application/json, invalid-encoding",
            "message, '{\"clientMessageId\": \"c5\", \"text\": \"a<E2><82>\"}', application/json, malformed-body|invalid-encoding",
            "message, '{\"clientMessageId\": \"c6\", \"text\": \"caf<E9>\"}', application/json;charset=ISO-8859-1, invalid-encoding",
    })
    void malformedBodiesAre400(String target, String body, String contentType, String types) throws Exception {
        String path = target.equals("receipts") ? "/api/conversations/" + direct + "/receipts/read"
                : "/api/conversations/" + direct + "/messages";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + alice.accessToken()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).matches(Problems.TYPE_BASE.replace(".", "\\.") + "(" + types + ")");
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "delivered | {}", "read | {}",
            "delivered | {\"upToSeq\": null}", "read | {\"upToSeq\": null}",
            "delivered | {\"upToSeq\": 1.5}", "read | {\"upToSeq\": 1.5}",
            "read | {\"upToSeq\": 1.0}", "read | {\"upToSeq\": 1e3}",
            "delivered | {\"upToSeq\": -1}", "read | {\"upToSeq\": -1}",
            "read | {\"upToSeq\": \"many\"}", "read | {\"upToSeq\": [1]}",
    })
    void aReceiptNeedsANonNegativeIntegerUpToSeq(String kind, String body) {
        Response response = api.send("POST", "/api/conversations/" + direct + "/receipts/" + kind, body,
                "application/json", alice.accessToken());

        assertProblem(response, "(validation-failed|malformed-body)");
        assertThat(response.json().get("detail").asText()).satisfiesAnyOf(
                d -> assertThat(d).contains("upToSeq"),
                d -> assertThat(response.json().path("errors").toString()).contains("upToSeq"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "GET /api/conversations/{c}/messages?limit=-1", "GET /api/conversations/{c}/messages?limit=0",
            "GET /api/conversations/{c}/messages?limit=201", "GET /api/conversations/{c}/messages?limit=1e6",
            "GET /api/conversations/{c}/messages?limit=1000000", "GET /api/conversations/{c}/messages?after=-1",
            "GET /api/conversations/{c}/messages?before=-1", "GET /api/conversations/{c}/messages?limit=10&after=-5",
            "GET /api/search?q=hello&size=0", "GET /api/search?q=hello&size=-1", "GET /api/search?q=",
            "GET /api/search?q=%20%20", "GET /api/search?size=0",
            "GET /api/sync?since=,,,", "GET /api/sync?since=:5", "GET /api/sync?since=%00:1",
            "GET /api/sync?since={c}:-1", "GET /api/sync?since={c}:1.5", "GET /api/sync?since={c}",
            "GET /api/sync?since={c}:1,", "GET /api/sync?since=not-a-conversation:1", "GET /api/sync?limit=0",
            "GET /api/sync?limit=1001",
            "POST /api/sync {\"since\": {\"{c}\": -1}}", "POST /api/sync {\"since\": {\"{c}\": null}}",
            "POST /api/sync {\"since\": {\"%00\": 1}}", "POST /api/sync {\"limit\": 0}",
            "POST /api/conversations {\"type\": \"GROUP\", \"title\": \"t\", \"memberIds\": [null]}",
            "POST /api/conversations {\"type\": \"GROUP\", \"title\": \"t\", \"memberIds\": [\"{b}\", null]}",
    })
    void outOfRangeParametersAre400(String request) {
        String[] parts = request.replace("{c}", direct).replace("{b}", bob.id()).split(" ", 3);
        String body = parts.length > 2 ? parts[2].replace("%00", "\\u0000") : null;
        Response response = api.send(parts[0], parts[1], body, "application/json", alice.accessToken());

        assertProblem(response, "(validation-failed|invalid-parameter|invalid-query|malformed-body|invalid-account-id)");
        if (parts[1].contains("since")) {
            assertThat(response.json().get("detail").asText()).contains("since");
        }
        if (parts[1].contains("limit=") || parts[1].contains("after=") || parts[1].contains("before=")
                || parts[1].contains("size=")) {
            String name = parts[1].replaceAll(".*[?&](limit|after|before|size)=.*", "$1");
            assertThat(response.json().get("detail").asText()).contains(name);
        }
    }

    /** As WhatsApp does with a file it cannot show: stored and sent as a document, never as a picture. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"random", "zip-header"})
    void aFileNamedPngWhoseBytesAreNoImageIsADocument(String content) throws Exception {
        byte[] bytes = new byte[3000];
        new Random(15).nextBytes(bytes);
        if (content.equals("zip-header")) {
            System.arraycopy(new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0}, 0, bytes, 0, 8);
        }
        HttpResponse<String> uploaded = upload("innocent.png", "image/png", bytes);

        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode media = JSON.readTree(uploaded.body());
        assertThat(media.get("kind").asText()).isEqualTo("DOCUMENT");
        assertThat(media.get("type").asText()).doesNotStartWith("image/")
                .isEqualTo(content.equals("random") ? "application/octet-stream" : "application/zip");
        assertThat(media.has("width")).isFalse();
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/media/" + media.get("id").asText())).header("Authorization", "Bearer " + alice.accessToken())
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElse("")).doesNotStartWith("image/");
        assertThat(download.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        assertThat(download.body()).isEqualTo(bytes);
    }

    private HttpResponse<String> upload(String fileName, String claimedType, byte[] content) throws Exception {
        String boundary = "----parley" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + claimedType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/media"))
                .header("Authorization", "Bearer " + alice.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(content), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(Response response, String types) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).as(response.contentType()).isTrue();
        assertThat(response.json().get("type").asText()).matches(Problems.TYPE_BASE.replace(".", "\\.") + types);
        assertThat(response.json().get("detail").asText()).isNotBlank();
    }

    /** UTF-8 of the text, with each {@code <XX>} replaced by the byte 0xXX. */
    static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '<' && i + 3 < text.length() && text.charAt(i + 3) == '>') {
                out.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 4;
            } else {
                int cp = text.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toByteArray();
    }
}
