package io.parley.gateway.support;

import io.parley.projections.push.FakeFcm;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.Map;

/**
 * Starts one stand-in FCM server per test JVM, before the shared Spring context reads its configuration, and
 * publishes where it listens as {@code parley.test.fake-fcm.*}; application-test.yml points {@code chat.push.*}
 * there. Registered in META-INF/spring.factories, so no test class carries configuration of its own and the
 * context cache key stays the same for every integration test.
 */
public class FakeFcmEnvironment implements EnvironmentPostProcessor {

    private static FakeFcm server;
    private static Path credentials;

    public static synchronized FakeFcm server() {
        if (server == null) {
            server = FakeFcm.start();
            credentials = server.writeServiceAccount(IntegrationTest.DATA_DIR.resolveSibling("fake-fcm-keys")
                    .resolve(IntegrationTest.DATA_DIR.getFileName()));
        }
        return server;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        FakeFcm fake = server();
        environment.getPropertySources().addLast(new MapPropertySource("fake-fcm", Map.of(
                "parley.test.fake-fcm.endpoint", fake.endpoint().toString(),
                "parley.test.fake-fcm.credentials", credentials.toString())));
    }
}
