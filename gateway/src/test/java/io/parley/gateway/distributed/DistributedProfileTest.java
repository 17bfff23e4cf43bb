package io.parley.gateway.distributed;

import io.parley.embedded.stack.ChatStackProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distributed deployment cannot run on the build machines (no container engine), so its configuration is
 * kept honest here: the profile binds to external servers for every part of the embedded stack, and the
 * compose file is well formed and consistent with the property names the application reads.
 */
class DistributedProfileTest {

    @Test
    void theDistributedProfilePointsEveryPartAtExternalServers() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        for (String file : List.of("application.yml", "application-distributed.yml")) {
            for (PropertySource<?> source : loader.load(file, new ClassPathResource(file))) {
                environment.getPropertySources().addFirst(source);
            }
        }
        // what compose passes to the gateway containers, in environment-variable form
        environment.getPropertySources().addFirst(new MapPropertySource("compose", Map.of(
                "CHAT_MONGO_URI", "mongodb://mongo1:27017,mongo2:27017,mongo3:27017/parley?replicaSet=rs0")));
        Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()),
                new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(environment));

        ChatStackProperties stack = binder.bind("chat", ChatStackProperties.class).get();
        assertThat(stack.postgres().url()).startsWith("jdbc:postgresql://");
        assertThat(stack.mongo().uri()).contains("replicaSet=rs0").contains("mongo2");
        assertThat(stack.search().url()).startsWith("http://");
        assertThat(binder.bind("axon.axonserver.enabled", Boolean.class).get()).isTrue();
        assertThat(binder.bind("axon.axonserver.servers", String.class).get()).isNotBlank();
        assertThat(binder.bind("chat.live.source", String.class).get())
                .as("a node must deliver the events other nodes store").isEqualTo("stream");
        assertThat(binder.bind("chat.limits.store", String.class).get())
                .as("abuse limits and sign-in throttling must hold across the nodes").isEqualTo("postgres");
        assertThat(binder.bind("chat.conversation.cached-block-lists", Long.class).get())
                .as("a block routed to another node must hold at once").isZero();
        assertThat(binder.bind("chat.privacy.generate-master-key", Boolean.class).get())
                .as("every node must decrypt with the same master key: given, never generated per node").isFalse();
        assertThat(binder.bind("chat.cluster.enabled", Boolean.class).get())
                .as("presence, typing and segment balancing shared through PostgreSQL as in the cluster profile").isTrue();
        assertThat(binder.bind("chat.conversation.check-cached-version", Boolean.class).get())
                .as("Axon Server's routing moves conversations when nodes come and go").isTrue();
        assertThat(binder.bind("axon.eventhandling.processors.conversation-views.initial-segment-count", Integer.class)
                .get()).isEqualTo(2);
    }

    @Test
    void theClusterProfileSharesEverythingANodeKeptToItself() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        for (String file : List.of("application.yml", "application-cluster.yml")) {
            for (PropertySource<?> source : loader.load(file, new ClassPathResource(file))) {
                environment.getPropertySources().addFirst(source);
            }
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()),
                new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(environment));

        ChatStackProperties stack = binder.bind("chat", ChatStackProperties.class).get();
        assertThat(stack.postgres().url()).as("the JDBC event store, shared").startsWith("jdbc:postgresql://");
        assertThat(stack.mongo().uri()).contains("w=majority");
        assertThat(stack.search().url()).startsWith("http://");
        assertThat(binder.bind("axon.axonserver.enabled", Boolean.class).get()).isFalse();
        assertThat(binder.bind("chat.cluster.enabled", Boolean.class).get()).isTrue();
        assertThat(binder.bind("chat.privacy.generate-master-key", Boolean.class).get())
                .as("every node unwraps the data keys with the same master key").isFalse();
        assertThat(binder.bind("chat.live.source", String.class).get()).isEqualTo("stream");
        assertThat(binder.bind("chat.limits.store", String.class).get()).isEqualTo("postgres");
        assertThat(binder.bind("chat.media.store", String.class).get()).isEqualTo("gridfs");
        assertThat(binder.bind("chat.conversation.check-cached-version", Boolean.class).get())
                .as("a cached conversation is checked against the store, which another node may have appended to")
                .isTrue();
        assertThat(binder.bind("chat.conversation.cached-block-lists", Long.class).get())
                .as("no block-list cache that another node's blocks would make stale").isZero();
        for (String processor : List.of("account-views", "report-views", "push", "conversation-views",
                "media-access", "message-search")) {
            String prefix = "axon.eventhandling.processors." + processor + ".";
            assertThat(binder.bind(prefix + "initial-segment-count", Integer.class).get()).as(processor).isEqualTo(2);
            assertThat(binder.bind(prefix + "thread-count", Integer.class).get()).as(processor).isEqualTo(2);
            assertThat(binder.bind(prefix + "dlq.enabled", Boolean.class).get()).as("base settings kept").isTrue();
        }
        assertThat(binder.bind("axon.eventhandling.processors.audit-chain.initial-segment-count", Integer.class)
                .isBound()).as("one chain, one segment").isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileIsConsistent() throws IOException {
        Path compose = Path.of("..", "docker", "compose.yml");
        Map<String, Object> document;
        try (InputStream in = Files.newInputStream(compose)) {
            document = new Yaml().load(in);
        }
        Map<String, Object> services = (Map<String, Object>) document.get("services");
        assertThat(services.keySet()).containsAll(Set.of("axonserver", "postgres", "mongo1", "mongo2", "mongo3",
                "mongo-init", "es01", "es02", "es03", "gateway1", "gateway2", "nginx"));
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Object dependsOn = ((Map<String, Object>) service.getValue()).get("depends_on");
            Set<String> dependencies = dependsOn instanceof Map<?, ?> m ? (Set<String>) m.keySet()
                    : dependsOn instanceof List<?> l ? Set.copyOf((List<String>) l) : Set.of();
            assertThat(services.keySet()).as("dependencies of " + service.getKey()).containsAll(dependencies);
        }
        Map<String, Object> gateway = (Map<String, Object>) services.get("gateway1");
        Map<String, Object> env = (Map<String, Object>) gateway.get("environment");
        assertThat(env).containsEntry("SPRING_PROFILES_ACTIVE", "distributed")
                .containsKeys("CHAT_POSTGRES_URL", "CHAT_MONGO_URI", "CHAT_SEARCH_URL", "CHAT_SECURITY_JWT_SECRET",
                        "CHAT_PRIVACY_MASTER_KEY", "AXON_AXONSERVER_SERVERS");
        assertThat(Files.readString(Path.of("..", "docker", "nginx.conf")))
                .as("sticky routing by route, then cookie, then address; WebSocket upgrades")
                .contains("hash $parley_route consistent").contains("Upgrade").contains("server gateway1:8080")
                .contains("server gateway2:8080");
        assertThat(env.get("CHAT_SEARCH_URL").toString().split(",")).as("every Elasticsearch node listed")
                .containsExactly("http://es01:9200", "http://es02:9200", "http://es03:9200");
        assertThat(env.get("CHAT_MONGO_URI").toString()).contains("w=majority");
        assertThat(Files.exists(Path.of("..", "docker", "Dockerfile"))).isTrue();
    }
}
