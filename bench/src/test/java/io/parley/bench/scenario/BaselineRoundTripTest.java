package io.parley.bench.scenario;

import io.parley.bench.Options;
import io.parley.bench.baseline.BaselineServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator end to end over real WebSockets against the in-process baseline server: Spring's STOMP client
 * on the generator's side, Spring's broker on the server's, frame bodies by Jackson on both.
 */
class BaselineRoundTripTest {

    static ConfigurableApplicationContext server;
    static String url;

    @TempDir
    static Path out;

    @BeforeAll
    static void start() {
        server = new SpringApplicationBuilder(BaselineServer.class).properties("server.port=0",
                "server.address=127.0.0.1", "spring.main.banner-mode=off",
                "spring.jackson.default-property-inclusion=non_null").run();
        url = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Options options(String... more) {
        String[] common = {"--url=" + url, "--label=baseline", "--out=" + out, "--settle-ms=300", "--warmup=1",
                "--duration=2", "--progress-seconds=60", "--answer-timeout=5", "--drain-seconds=1"};
        String[] all = new String[common.length + more.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return new Options(all, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> root, String name) {
        return (Map<String, Object>) root.get(name);
    }

    @Test
    void directMessagesAreAckedAndDeliveredOnce() throws Exception {
        Map<String, Object> r = new DirectScenario(options("--pairs=2", "--rate=50")).execute().root();
        Map<String, Object> results = section(r, "results");
        long sent = (long) results.get("sent");
        assertThat(sent).isGreaterThan(50);
        assertThat(results.get("acked")).isEqualTo(sent);
        assertThat(results.get("deliveries")).isEqualTo(sent);
        assertThat(results.get("ack_errors")).isEqualTo(0L);
        assertThat(results.get("messages_not_fully_delivered_after_timeout")).isEqualTo(0L);
        Map<String, Object> gen = section(r, "generator");
        assertThat(gen.get("client")).isEqualTo("spring");
        assertThat(gen.get("frames_for_unknown_messages")).isEqualTo(0L);
        assertThat(gen.get("error_frames")).isEqualTo(0L);
        assertThat(gen.get("sessions_closed_by_peer_or_error")).isEqualTo(0L);
        assertThat(gen).doesNotContainKey("error_samples");
    }

    @Test
    void receiptsAreAnsweredByWatermarkFrames() throws Exception {
        Map<String, Object> r = new ReceiptsScenario(options("--pairs=2", "--rate=20", "--prefill-rate=200")).execute().root();
        Map<String, Object> results = section(r, "results");
        assertThat((long) results.get("receipts_answered_measured")).isGreaterThan(20);
        assertThat(results.get("unanswered_after_timeout")).isEqualTo(0L);
        Map<String, Object> prefill = section(results, "prefill");
        assertThat(prefill.get("acked")).isEqualTo(prefill.get("sent"));
        assertThat(section(r, "generator")).doesNotContainKey("error_samples");
    }
}
