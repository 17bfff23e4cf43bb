package io.parley.bench.stats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerMetricsTest {

    static String scrape(long commands, double sumSeconds, double lagMs) {
        return String.join("\n",
                "# HELP commandBus_allTimer_seconds",
                "commandBus_allTimer_seconds{payloadType=\"SendMessage\",quantile=\"0.99\"} 0.004",
                "commandBus_allTimer_seconds_count{payloadType=\"SendMessage\"} " + commands,
                "commandBus_allTimer_seconds_sum{payloadType=\"SendMessage\"} " + sumSeconds,
                "commandBus_allTimer_seconds_max{payloadType=\"SendMessage\"} 0.02",
                "commandBus_successTimer_seconds_count{payloadType=\"SendMessage\"} " + commands,
                "eventProcessor_latency{processorName=\"conversation-views\"} " + lagMs,
                "eventProcessor_latency{processorName=\"live-delivery\"} 3.0",
                "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1048576",
                "");
    }

    @Test
    void groupsTimersAndLagPerProcessorAndListsWhatIsMissing() {
        Prometheus.Snapshot before = Prometheus.Snapshot.parse(scrape(100, 0.2, 0), 0);
        Prometheus.Snapshot after = Prometheus.Snapshot.parse(scrape(1100, 2.2, 250), 10_000_000_000L);
        Map<String, Object> m = ServerMetrics.compare(before, after);

        @SuppressWarnings("unchecked")
        Map<String, Object> cmd = (Map<String, Object>) m.get("command_handling");
        assertThat(cmd).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> timer = (Map<String, Object>) cmd.values().iterator().next();
        assertThat(timer.get("count")).isEqualTo(1000L);
        assertThat(timer.get("mean_ms")).isEqualTo(2.0);

        assertThat(ServerMetrics.lagGauges(after)).containsOnlyKeys("eventProcessor_latency{processorName=conversation-views}");
        assertThat(m.get("live_delivery").toString()).contains("live-delivery");
        assertThat(m.get("missing")).isEqualTo(List.of("event_append"));
    }

    @Test
    void thePlatformsOwnLagGaugeWinsOverAxonsStaleLatency() {
        String text = scrape(1, 0.1, 261) + String.join("\n",
                "parley_processor_lag_time_milliseconds{processor=\"conversation-views\"} 0.0",
                "parley_processor_lag_time_milliseconds{processor=\"message-search\"} 40.0", "");
        Map<String, Double> lag = ServerMetrics.lagGauges(Prometheus.Snapshot.parse(text, 0));
        assertThat(lag).hasSize(2).containsValues(0.0, 40.0);
    }
}
