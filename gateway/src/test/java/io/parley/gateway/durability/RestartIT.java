package io.parley.gateway.durability;

import io.parley.embedded.stack.EmbeddedStack;
import io.parley.gateway.app.GatewayApplication;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops a second platform instance and starts it again on the same data directory: accounts, credentials and
 * the token signing key survive, so a token issued before the restart is still accepted after it.
 * The instance shares the suite's Elasticsearch node (chat.search.url) to spare the machine a second node.
 */
class RestartIT extends IntegrationTest {

    @Autowired
    EmbeddedStack sharedStack;

    @Test
    void accountsAndTheTokenKeySurviveARestart() throws Exception {
        Path dataDir = Path.of("target", "it-data", "restart-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        User alice;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = new Api(port(first));
            alice = api.signUp("restart");
            assertThat(api.get("/api/me", alice.accessToken()).status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = new Api(port(second));
            // the token minted before the restart verifies with the key kept in the data directory
            assertThat(api.get("/api/me", alice.accessToken()).json().get("id").asText()).isEqualTo(alice.id());
            User again = api.signIn(alice.id(), alice.handle(), alice.displayName(), Api.PASSWORD);
            assertThat(api.get("/api/me", again.accessToken()).json().get("handle").asText()).isEqualTo(alice.handle());
            // the handle is still claimed
            assertThat(api.post("/api/accounts", java.util.Map.of("handle", alice.handle(), "displayName", "X",
                    "password", Api.PASSWORD), null).status()).isEqualTo(409);
        }
    }

    private ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--chat.data-dir=" + dataDir,
                "--chat.search.url=" + sharedStack.elasticsearchUrl(),
                "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }
}
