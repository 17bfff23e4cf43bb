package io.parley.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import javax.sql.DataSource;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.parley.embedded.Elapsed;
import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.process.LinuxProcesses;
import io.parley.embedded.spring.EmbeddedStackConfiguration;
import io.parley.embedded.stack.ElasticsearchReadiness;
import io.parley.embedded.stack.EmbeddedStack;
import io.parley.gateway.app.ElasticsearchClusterHealthIndicator;
import io.parley.gateway.app.StoreHealthConfiguration;
import org.bson.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.actuate.autoconfigure.elasticsearch.ElasticsearchRestHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.jdbc.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The whole stack in a Spring context, with Boot's competing auto-configurations present (they must back off). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedStackIT {

    private static Path dataDir;

    private ApplicationContextRunner runner(String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(UserConfigurations.of(EmbeddedStackConfiguration.class, StoreHealthConfiguration.class))
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, MongoAutoConfiguration.class,
                        ElasticsearchRestClientAutoConfiguration.class, ElasticsearchClientAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                        DataSourceHealthContributorAutoConfiguration.class,
                        ElasticsearchRestHealthContributorAutoConfiguration.class))
                .withPropertyValues("chat.data-dir=" + dataDir, "chat.search.heap=256m",
                        // generous: this machine is shared, 2 cores, other builds running
                        "chat.search.start-timeout=240s", "chat.postgres.start-timeout=120s")
                .withPropertyValues(properties);
    }

    @Test
    @Order(1)
    void startsEverythingInParallelAndStopsItWithTheContext() throws Exception {
        dataDir = TestDirs.create("stack");
        long[] pids = new long[2];
        long t0 = System.nanoTime();
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            TestDirs.report("Spring context with the whole stack (first start): "
                    + Elapsed.since(t0));
            EmbeddedStack stack = context.getBean(EmbeddedStack.class);
            pids[0] = stack.embeddedPostgres().pid();
            pids[1] = stack.embeddedElasticsearch().pid();
            assertThat(context.getBean(ElasticsearchReadiness.class).isReady()).isTrue();
            assertThat(context.getBeansOfType(DataSource.class)).hasSize(1);
            assertThat(context.getBeansOfType(MongoClient.class)).hasSize(1);
            assertThat(context.getBeansOfType(ElasticsearchClient.class)).hasSize(1);

            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo("parley");

            MongoDatabase mongo = context.getBean(MongoDatabase.class);
            assertThat(mongo.getName()).isEqualTo("parley");
            mongo.getCollection("probe").insertOne(new Document("_id", 1));

            ElasticsearchClient es = context.getBean(ElasticsearchClient.class);
            es.index(i -> i.index("probe").id("1").refresh(Refresh.True).document(Map.of("text", "hello parley")));
            assertThat(es.search(s -> s.index("probe").query(q -> q.match(m -> m.field("text").query("parley"))),
                    Map.class).hits().total().value()).isEqualTo(1);

            TestDirs.report("RSS: PostgreSQL postmaster " + LinuxProcesses.residentKb(pids[0]) / 1024
                    + " MB, Elasticsearch " + LinuxProcesses.residentKb(pids[1]) / 1024 + " MB (heap 256m)");
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("db").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("mongo").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("elasticsearch").getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBean("elasticsearchHealthIndicator"))
                    .isInstanceOf(ElasticsearchClusterHealthIndicator.class);
        });
        assertThat(LinuxProcesses.isAlive(pids[0])).isFalse();
        assertThat(LinuxProcesses.isAlive(pids[1])).isFalse();
    }

    @Test
    @Order(3)
    void anElasticsearchThatDoesNotComeUpInTimeFailsStartUpAndLeavesNothingRunning() {
        long t0 = System.nanoTime();
        runner("chat.search.start-timeout=2s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(EmbeddedStackException.class)
                    .hasMessageContaining("Elasticsearch");
        });
        assertThat(System.nanoTime() - t0).isLessThan(40_000_000_000L);
        String home = dataDir.resolve("elasticsearch/dist").toAbsolutePath().normalize().toString();
        String pgData = dataDir.resolve("postgres/data").toAbsolutePath().normalize().toString();
        // the stop has signalled the children; give them a bounded moment to exit before looking (an Elasticsearch
        // stopped in the middle of its start took 8.8 s to exit on a loaded machine: the bound is about leaving
        // nothing behind, not about speed)
        long until = System.nanoTime() + 30_000_000_000L;
        java.util.List<String> left = children(home, pgData);
        while (!left.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = children(home, pgData);
        }
        assertThat(left).isEmpty();
    }

    private static java.util.List<String> children(String home, String pgData) {
        return ProcessHandle.allProcesses()
                .map(p -> LinuxProcesses.commandLine(p.pid()))
                .filter(c -> c.contains(home) || c.contains(pgData)).toList();
    }

    @Test
    @Order(4)
    void aTakenPortFailsStartUpWithAClearMessage() throws Exception {
        if (dataDir == null) {
            dataDir = TestDirs.create("stack");
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            runner("chat.postgres.port=" + s.getLocalPort()).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("Port " + s.getLocalPort() + " (chat.postgres.port) on 127.0.0.1 is already in use");
            });
        }
    }
}
