package io.parley.gateway.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.command.media.MediaFiles;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.IntegrationTest;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import io.parley.command.media.TestMediaFiles;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads and downloads over HTTP against the whole platform (local blob store under the test data dir). */
class MediaIT extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private EventStore eventStore;
    @Autowired
    private MediaFiles mediaFiles;
    @Autowired
    private JdbcTemplate jdbc;

    record Reply(HttpResponse<byte[]> raw) {
        int status() {
            return raw.statusCode();
        }

        JsonNode json() throws IOException {
            return JSON.readTree(raw.body());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(20, 40, 200, 128));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A Windows executable's header (MZ, then the PE signature where the header says it is). */
    static byte[] executable() {
        byte[] exe = new byte[4096];
        new Random(7).nextBytes(exe);
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = (byte) 0x80;
        exe[0x3d] = 0;
        exe[0x3e] = 0;
        exe[0x3f] = 0;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        exe[0x82] = 0;
        exe[0x83] = 0;
        return exe;
    }

    Reply upload(String token, String fileName, String claimedType, byte[] content) throws Exception {
        String boundary = "----parley" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + claimedType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(content), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        return new Reply(HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    Reply get(String token, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return new Reply(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    static Path blobs() {
        return DATA_DIR.resolve("media").resolve("blobs");
    }

    static long files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            return tree.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void pngIsStoredWithItsDimensionsAndASmallerThumbnail() throws Exception {
        Api.User alice = api.signUp("media");
        byte[] png = png(800, 600);
        Reply reply = upload(alice.accessToken(), "sunset.png", "image/png", png);

        assertThat(reply.status()).as(new String(reply.raw().body())).isEqualTo(201);
        JsonNode body = reply.json();
        String id = body.get("id").asText();
        assertThat(body.get("type").asText()).isEqualTo("image/png");
        assertThat(body.get("size").asLong()).isEqualTo(png.length);
        assertThat(body.get("sha256").asText()).isEqualTo(sha256(png));
        assertThat(body.get("width").asInt()).isEqualTo(800);
        assertThat(body.get("height").asInt()).isEqualTo(600);
        assertThat(body.get("thumbnailUrl").asText()).isEqualTo("/api/media/" + id + "/thumbnail");

        MediaUploaded event = (MediaUploaded) eventStore.readEvents(id).next().getPayload();
        assertThat(event.width()).isEqualTo(800);
        assertThat(event.height()).isEqualTo(600);
        assertThat(event.uploaderId()).isEqualTo(alice.id());
        assertThat(event.contentType()).isEqualTo("image/png");
        assertThat(event.hasThumbnail()).isTrue();

        Reply thumbnail = get(alice.accessToken(), body.get("thumbnailUrl").asText());
        assertThat(thumbnail.status()).isEqualTo(200);
        assertThat(thumbnail.header("Content-Type")).isEqualTo("image/jpeg");
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(thumbnail.raw().body()));
        assertThat(thumb).isNotNull();
        assertThat(thumb.getWidth()).isEqualTo(320);
        assertThat(thumb.getHeight()).isEqualTo(240);
        assertThat(thumbnail.raw().body().length).isLessThan(png.length);

        Reply download = get(alice.accessToken(), "/api/media/" + id);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.raw().body()).isEqualTo(png);
        assertThat(download.header("Content-Type")).isEqualTo("image/png");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Content-Disposition")).startsWith("inline").contains("sunset.png");
        assertThat(download.header("ETag")).isEqualTo("\"" + body.get("sha256").asText() + "\"");
        assertThat(get(alice.accessToken(), "/api/media/" + id, "If-None-Match", download.header("ETag")).status())
                .isEqualTo(304);
    }

    @Test
    void theSameBytesUploadedTwiceAreStoredOnce() throws Exception {
        Api.User alice = api.signUp("media");
        Api.User bob = api.signUp("media");
        byte[] png = png(64, 48);
        Reply first = upload(alice.accessToken(), "a.png", "image/png", png);
        long stored = files(blobs());
        Reply second = upload(bob.accessToken(), "b.png", "image/png", png);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("id").asText()).isNotEqualTo(first.json().get("id").asText());
        String sha = first.json().get("sha256").asText();
        assertThat(second.json().get("sha256").asText()).isEqualTo(sha);
        assertThat(files(blobs())).isEqualTo(stored);
        try (Stream<Path> tree = Files.walk(blobs())) {
            assertThat(tree.filter(p -> p.getFileName().toString().equals(sha)).toList())
                    .containsExactly(blobs().resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha));
        }
    }

    @Test
    void anExecutableNamedCatJpgIsRefused() throws Exception {
        Api.User alice = api.signUp("media");
        long stored = files(blobs());
        Reply reply = upload(alice.accessToken(), "cat.jpg", "image/jpeg", executable());

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).isEqualTo("https://parley.io/problems/media-type-not-allowed");
        assertThat(files(blobs())).isEqualTo(stored);
    }

    @Test
    void anOversizeUploadIsRefusedWith413AndLeavesNothingBehind() throws Exception {
        Api.User alice = api.signUp("media");
        byte[] png = png(32, 32);
        // a valid PNG head, then zeros up to one byte over the 16 MB image limit
        byte[] oversize = Arrays.copyOf(png, 16 * 1024 * 1024 + 1);
        long stored = files(blobs());

        Reply reply = upload(alice.accessToken(), "huge.png", "image/png", oversize);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).isEqualTo("https://parley.io/problems/file-too-large");
        assertThat(files(blobs())).isEqualTo(stored);
        assertThat(files(blobs().resolve(".staging"))).isZero();
    }

    @Test
    void aRangeRequestReturnsExactlyTheRequestedBytes() throws Exception {
        Api.User alice = api.signUp("media");
        byte[] document = new byte[300_000];
        new Random(5).nextBytes(document);
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, document, 0, 9);
        Reply uploaded = upload(alice.accessToken(), "../../report\".pdf", "application/octet-stream", document);
        assertThat(uploaded.status()).as(new String(uploaded.raw().body())).isEqualTo(201);
        String id = uploaded.json().get("id").asText();
        assertThat(uploaded.json().get("type").asText()).isEqualTo("application/pdf");

        Reply part = get(alice.accessToken(), "/api/media/" + id, "Range", "bytes=1000-1999");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 1000-1999/300000");
        assertThat(part.raw().body()).isEqualTo(Arrays.copyOfRange(document, 1000, 2000));

        Reply tail = get(alice.accessToken(), "/api/media/" + id, "Range", "bytes=-10");
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.raw().body()).isEqualTo(Arrays.copyOfRange(document, 299_990, 300_000));

        Reply beyond = get(alice.accessToken(), "/api/media/" + id, "Range", "bytes=300000-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */300000");

        Reply whole = get(alice.accessToken(), "/api/media/" + id);
        assertThat(whole.header("Content-Disposition")).startsWith("attachment").contains("report.pdf")
                .doesNotContain("..");
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void someoneWithNoConversationWithTheUploaderGets404ForFileAndThumbnail() throws Exception {
        Api.User alice = api.signUp("media");
        Api.User mallory = api.signUp("media");
        Reply uploaded = upload(alice.accessToken(), "private.png", "image/png", png(100, 100));
        String id = uploaded.json().get("id").asText();

        for (String path : new String[]{"/api/media/" + id, "/api/media/" + id + "/thumbnail",
                "/api/media/" + UUID.randomUUID()}) {
            Reply reply = get(mallory.accessToken(), path);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Test
    void membersOfTheConversationItWasSentInMayFetchItOthersGet404() throws Exception {
        Api.User alice = api.signUp("media");
        Api.User bob = api.signUp("media");
        Api.User carol = api.signUp("media");
        Reply uploaded = upload(alice.accessToken(), "shared.png", "image/png", png(120, 90));
        String id = uploaded.json().get("id").asText();
        String media = "/api/media/" + id;

        // bob may not fetch it before it is sent to him
        assertThat(get(bob.accessToken(), media).status()).isEqualTo(404);

        Api.Response chat = api.post("/api/conversations", java.util.Map.of("type", "DIRECT", "peerId", bob.id()),
                alice.accessToken());
        assertThat(chat.status()).as(chat.body()).isIn(200, 201);
        String conversationId = chat.json().get("id").asText();

        // bob is not the uploader: he cannot send alice's file
        Api.Response stolen = api.post("/api/conversations/" + conversationId + "/messages",
                java.util.Map.of("clientMessageId", UUID.randomUUID().toString(), "mediaId", id), bob.accessToken());
        assertThat(stolen.status()).as(stolen.body()).isIn(403, 404, 400, 409);
        assertThat(stolen.isProblem()).isTrue();

        Api.Response sent = api.post("/api/conversations/" + conversationId + "/messages",
                java.util.Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "look", "mediaId", id),
                alice.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);

        Reply forBob = eventually(() -> get(bob.accessToken(), media));
        assertThat(forBob.status()).isEqualTo(200);
        assertThat(get(bob.accessToken(), media + "/thumbnail").status()).isEqualTo(200);
        assertThat(get(carol.accessToken(), media).status()).isEqualTo(404);
        assertThat(get(carol.accessToken(), media + "/thumbnail").status()).isEqualTo(404);
    }

    @Test
    void severalRangesComeAsMultipartByteranges() throws Exception {
        Api.User alice = api.signUp("media");
        byte[] text = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(100).getBytes(StandardCharsets.US_ASCII);
        String id = upload(alice.accessToken(), "notes.txt", "text/plain", text).json().get("id").asText();

        Reply parts = get(alice.accessToken(), "/api/media/" + id, "Range", "bytes=0-3,10-13");
        assertThat(parts.status()).isEqualTo(206);
        assertThat(parts.header("Content-Type")).startsWith("multipart/byteranges");
        String body = new String(parts.raw().body(), StandardCharsets.US_ASCII);
        assertThat(body).contains("Content-Range: bytes 0-3/3600", "0123", "Content-Range: bytes 10-13/3600", "abcd");

        Reply ignored = get(alice.accessToken(), "/api/media/" + id, "Range", "bytes=0-3", "If-Range", "\"other\"");
        assertThat(ignored.status()).isEqualTo(200);
        assertThat(ignored.raw().body()).isEqualTo(text);
    }

    @Test
    void anUploadIsWriteSideStateAndAMissingTableIsFilledFromTheUploadEvents() throws Exception {
        Api.User alice = api.signUp("media");
        byte[] png = png(40, 30);
        String id = upload(alice.accessToken(), "dot.png", "image/png", png).json().get("id").asText();
        MediaFiles.MediaFile expected = new MediaFiles.MediaFile(id, alice.id(), sha256(png), png.length,
                "image/png", MediaKind.IMAGE, "dot.png", 40, 30, true, null);
        assertThat(mediaFiles.find(id)).contains(expected);

        jdbc.execute("DROP TABLE media_files");
        ((SmartInitializingSingleton) mediaFiles).afterSingletonsInstantiated();

        assertThat(mediaFiles.find(id)).contains(expected);
    }

    /** The hex SHA-256 the blob store keys content by (the store's own tests moved to command-side). */
    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    interface Call {
        Reply call() throws Exception;
    }

    /** The media-access processor follows the event stream: allow it a few seconds to see the message. */
    static Reply eventually(Call call) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Reply reply = call.call();
        while (reply.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            reply = call.call();
        }
        return reply;
    }

    @Test
    void voiceNotesAndVideosCarryTheirDurationAndVideosAPosterFrame(@TempDir Path dir) throws Exception {
        Api.User alice = api.signUp("media");
        Api.User bob = api.signUp("media");

        // a browser's voice note (Ogg Opus), one recorded as audio-only WebM, one as audio-only MP4
        JsonNode ogg = upload(alice.accessToken(), "voice.ogg", "application/octet-stream",
                Files.readAllBytes(TestMediaFiles.oggOpus(dir, 150))).json();
        assertThat(ogg.get("kind").asText()).isEqualTo("AUDIO");
        assertThat(ogg.get("type").asText()).isEqualTo("audio/opus");
        assertThat(ogg.get("durationMillis").asLong()).isEqualTo(3000);
        assertThat(ogg.hasNonNull("thumbnailUrl")).isFalse();
        JsonNode webm = upload(alice.accessToken(), "voice.webm", "video/webm",
                Files.readAllBytes(TestMediaFiles.audioOnlyWebm(dir, 2500))).json();
        assertThat(webm.get("kind").asText()).isEqualTo("AUDIO");
        assertThat(webm.get("type").asText()).isEqualTo("audio/webm");
        assertThat(webm.get("durationMillis").asLong()).isEqualTo(2500);
        JsonNode m4a = upload(alice.accessToken(), "voice.m4a", "audio/mp4",
                Files.readAllBytes(TestMediaFiles.audioOnlyMp4(dir, 2))).json();
        assertThat(m4a.get("kind").asText()).isEqualTo("AUDIO");
        assertThat(m4a.get("type").asText()).isEqualTo("audio/mp4");
        assertThat(m4a.get("durationMillis").asLong()).isEqualTo(2000);

        Reply video = upload(alice.accessToken(), "clip.mp4", "video/mp4",
                Files.readAllBytes(TestMediaFiles.h264Mp4(dir, 160, 96, 25)));
        assertThat(video.status()).as(new String(video.raw().body())).isEqualTo(201);
        JsonNode clip = video.json();
        assertThat(clip.get("kind").asText()).isEqualTo("VIDEO");
        assertThat(clip.get("width").asInt()).isEqualTo(160);
        assertThat(clip.get("height").asInt()).isEqualTo(96);
        assertThat(clip.get("durationMillis").asLong()).isEqualTo(1000);
        Reply poster = get(alice.accessToken(), clip.get("thumbnailUrl").asText());
        assertThat(poster.status()).isEqualTo(200);
        assertThat(poster.header("Content-Type")).isEqualTo("image/jpeg");
        BufferedImage frame = ImageIO.read(new ByteArrayInputStream(poster.raw().body()));
        assertThat(frame.getWidth()).isEqualTo(160);
        assertThat(new java.awt.Color(frame.getRGB(80, 48)).getRed()).as("the first frame is red").isGreaterThan(200);

        // sent, the voice note reaches the recipient's history with its kind and duration, and plays inline
        String conversationId = api.post("/api/conversations", java.util.Map.of("type", "DIRECT", "peerId", bob.id()),
                alice.accessToken()).json().get("id").asText();
        Api.Response sent = api.post("/api/conversations/" + conversationId + "/messages", java.util.Map.of(
                "clientMessageId", UUID.randomUUID().toString(), "mediaId", ogg.get("id").asText()), alice.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        JsonNode messages = api.get("/api/conversations/" + conversationId + "/messages", bob.accessToken()).json();
        for (long deadline = System.nanoTime() + 20_000_000_000L;
             messages.path("messages").isEmpty() && System.nanoTime() < deadline; Thread.sleep(100)) {
            messages = api.get("/api/conversations/" + conversationId + "/messages", bob.accessToken()).json();
        }
        JsonNode message = messages.path("messages").get(0);
        assertThat(message.get("type").asText()).isEqualTo("AUDIO");
        assertThat(message.path("media").path("kind").asText()).isEqualTo("AUDIO");
        assertThat(message.path("media").path("durationMillis").asLong()).isEqualTo(3000);
        Reply played = eventually(() -> get(bob.accessToken(), "/api/media/" + ogg.get("id").asText()));
        assertThat(played.status()).isEqualTo(200);
        assertThat(played.header("Content-Type")).isEqualTo("audio/opus");
        assertThat(played.header("Content-Disposition")).startsWith("inline");
    }
}
