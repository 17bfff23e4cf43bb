package io.parley.embedded.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.parley.embedded.Elapsed;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.TestDirs;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.embedded.process.LinuxProcesses;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

class EmbeddedElasticsearchIT {

    private final ChildProcessLauncher launcher = new ChildProcessLauncher();

    private EmbeddedElasticsearch node(Path base) {
        int http = LoopbackPorts.choose(0, "http");
        int transport = LoopbackPorts.choose(0, "transport");
        return new EmbeddedElasticsearch(base, http, transport, "256m",
                ElasticsearchDistribution.locate(null), Duration.ofSeconds(240), Duration.ofSeconds(30), launcher);
    }

    @Test
    void indexesSearchesSurvivesAnOrphanAndStopsCleanly() throws Exception {
        Path base = TestDirs.create("es").resolve("elasticsearch");

        long t0 = System.nanoTime();
        EmbeddedElasticsearch first = node(base).start();
        TestDirs.report("Elasticsearch first start (unpack included): " + Elapsed.since(t0));
        long firstPid = first.pid();
        TestDirs.report("Elasticsearch RSS after start: " + LinuxProcesses.residentKb(firstPid) / 1024 + " MB (heap 256m)");

        try (RestClient rest = RestClient.builder(HttpHost.create(first.url())).build()) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
            client.indices().create(c -> c.index("messages")
                    .settings(s -> s.numberOfReplicas("0").numberOfShards("1")));
            client.index(i -> i.index("messages").id("m1").refresh(Refresh.True)
                    .document(Map.of("text", "The quick brown fox jumps over the lazy dog", "room", "r1")));
            client.index(i -> i.index("messages").id("m2").refresh(Refresh.True)
                    .document(Map.of("text", "Nothing to see here", "room", "r1")));
            assertThat(matchIds(client, "brown foxes")).isEmpty(); // standard analyzer: no stemming
            assertThat(matchIds(client, "quick fox")).containsExactly("m1");
        }

        // the JVM "dies": forget the node, a new start finds it through its pid file and stops it first
        long orphan = first.abandon();
        t0 = System.nanoTime();
        EmbeddedElasticsearch second = node(base).start();
        TestDirs.report("Elasticsearch restart (after stopping the orphan): " + Elapsed.since(t0));
        assertThat(LinuxProcesses.isAlive(orphan)).isFalse();
        long secondPid = second.pid();
        try (RestClient rest = RestClient.builder(HttpHost.create(second.url())).build()) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
            client.cluster().health(h -> h.index("messages").waitForStatus(co.elastic.clients.elasticsearch._types.HealthStatus.Green)
                    .timeout(t -> t.time("30s")));
            assertThat(matchIds(client, "lazy dog")).containsExactly("m1"); // data reused
        }
        TestDirs.report("Elasticsearch RSS after queries: " + LinuxProcesses.residentKb(secondPid) / 1024 + " MB (heap 256m)");

        second.stop();
        assertThat(LinuxProcesses.isAlive(secondPid)).isFalse();
        String home = base.resolve("dist").toAbsolutePath().normalize().toString();
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> LinuxProcesses.commandLine(p.pid()).contains(home))
                .map(ProcessHandle::pid).toList()).isEmpty();
        assertThat(LoopbackPorts.isFree(second.httpPort())).isTrue();
    }

    private static List<String> matchIds(ElasticsearchClient client, String text) throws Exception {
        SearchResponse<Map> r = client.search(s -> s.index("messages")
                .query(q -> q.match(m -> m.field("text").query(text).operator(co.elastic.clients.elasticsearch._types.query_dsl.Operator.And))), Map.class);
        return r.hits().hits().stream().map(h -> h.id()).toList();
    }
}
