package io.parley.gateway.media;

import io.parley.gateway.support.Api;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload and download throughput of one 50 MB file over loopback HTTP, through the whole stack (streamed multipart
 * parse, hashing, type detection, local blob store, event, metadata; download with Content-Length streaming).
 * Not a CI test: its name matches neither the Surefire nor the Failsafe pattern; run it with
 * {@code ./mvnw -pl gateway -am verify -Dit.test=MediaThroughputBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 * The figures go to stdout and to {@code target/media-throughput.txt}.
 */
@Tag("benchmark")
class MediaThroughputBenchmark extends IntegrationTest {

    private static final int SIZE = 50 * 1024 * 1024;
    private static final int ROUNDS = 5;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void uploadAndDownloadA50MbFile() throws Exception {
        Api.User user = api.signUp("bench");
        List<Double> uploads = new ArrayList<>();
        List<Double> downloads = new ArrayList<>();
        String lastId = null;
        for (int round = 0; round < ROUNDS; round++) {
            // fresh bytes each round, so every upload writes a new blob instead of hitting the dedup path
            Path file = document(round);
            long start = System.nanoTime();
            HttpResponse<String> uploaded = upload(user.accessToken(), file);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            uploads.add(SIZE / 1e6 / seconds);
            lastId = uploaded.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            Files.delete(file);

            start = System.nanoTime();
            long received = download(user.accessToken(), lastId);
            seconds = (System.nanoTime() - start) / 1e9;
            assertThat(received).isEqualTo(SIZE);
            downloads.add(SIZE / 1e6 / seconds);
        }
        String report = String.format(
                "media throughput, 50 MB (52,428,800 bytes) document, %d rounds, loopback HTTP, %d cores, local store%n"
                        + "upload   MB/s: median %.1f  best %.1f  all %s%n"
                        + "download MB/s: median %.1f  best %.1f  all %s%n",
                ROUNDS, Runtime.getRuntime().availableProcessors(), median(uploads), Collections.max(uploads),
                format(uploads), median(downloads), Collections.max(downloads), format(downloads));
        System.out.print(report);
        Files.writeString(Path.of("target", "media-throughput.txt"), report);
    }

    private static Path document(int seed) throws IOException {
        Path file = Files.createTempFile("bench-", ".pdf");
        byte[] chunk = new byte[1024 * 1024];
        Random random = new Random(seed);
        try (var out = Files.newOutputStream(file)) {
            for (int written = 0; written < SIZE; written += chunk.length) {
                random.nextBytes(chunk);
                if (written == 0) {
                    System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, chunk, 0, 9);
                }
                out.write(chunk);
            }
        }
        return file;
    }

    private HttpResponse<String> upload(String token, Path file) throws Exception {
        String boundary = "----bench" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.pdf\""
                + "\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private long download(String token, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/media/" + id))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList().toString();
    }
}
