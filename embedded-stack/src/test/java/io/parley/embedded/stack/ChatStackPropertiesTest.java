package io.parley.embedded.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ChatStackPropertiesTest {

    @Test
    void propertiesBindWithDefaultsAndIgnoreOtherChatGroups() {
        ChatStackProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                "chat.data-dir", "/tmp/x",
                "chat.search.heap", "256m",
                "chat.search.start-timeout", "2m",
                "chat.security.jwt-secret", "other people's group")))
                .bind("chat", ChatStackProperties.class).get();
        assertThat(props.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(props.search().heap()).isEqualTo("256m");
        assertThat(props.search().startTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(props.postgres().poolSize()).isEqualTo(20);
        assertThat(props.postgres().port()).isZero();
        assertThat(props.mongo().database()).isEqualTo("parley");
        ChatStackProperties defaults = ChatStackProperties.defaults();
        assertThat(defaults.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(defaults.search().heap()).isEqualTo("384m");
        assertThat(defaults.search().startTimeout()).isEqualTo(Duration.ofSeconds(300));
    }

    /** The record keeps every default the bean-style class had, for the parts a test above does not pin. */
    @Test
    void everyDefaultIsKept() {
        ChatStackProperties defaults = ChatStackProperties.defaults();
        assertThat(defaults.postgres()).isEqualTo(new ChatStackProperties.Postgres(null, "postgres", "", 0, "parley",
                20, Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(3)));
        assertThat(defaults.mongo()).isEqualTo(new ChatStackProperties.Mongo(null, 0, "parley", Duration.ofSeconds(5)));
        assertThat(defaults.search()).isEqualTo(new ChatStackProperties.Search(null, 0, null, "384m",
                Duration.ofSeconds(300), Duration.ofSeconds(30)));
        assertThat(defaults.supervision()).isEqualTo(new ChatStackProperties.Supervision(true,
                Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(10)));
    }

    /** An external URL in one group leaves the defaults of the others (and of its own siblings) in place. */
    @Test
    void aPartiallyConfiguredGroupKeepsItsOtherDefaults() {
        ChatStackProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                "chat.postgres.url", "jdbc:postgresql://db:5432/parley",
                "chat.search.index.alias", "belongs to the message index")))
                .bindOrCreate("chat", ChatStackProperties.class);
        assertThat(props.postgres().url()).isEqualTo("jdbc:postgresql://db:5432/parley");
        assertThat(props.postgres().username()).isEqualTo("postgres");
        assertThat(props.postgres().stopTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(props.search().url()).isNull();
        assertThat(props.search().stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(props.mongo().uri()).isNull();
        assertThat(props.dataDir()).isEqualTo(Path.of("./data"));
    }
}
