package io.parley.gateway.support;

import io.parley.gateway.app.GatewayApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Base of every integration test: one Spring context, and so one embedded stack (PostgreSQL, MongoDB server,
 * Elasticsearch node), per JVM. Test classes add no configuration of their own, so Spring's context cache
 * hands them all the same running platform; each test works with its own random accounts and conversations.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class IntegrationTest {

    /** One data directory per JVM, under target/ so `mvn clean` removes it. */
    public static final Path DATA_DIR = Path.of("target", "it-data", UUID.randomUUID().toString()).toAbsolutePath();

    @LocalServerPort
    protected int port;

    protected Api api;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        registry.add("chat.data-dir", DATA_DIR::toString);
        registry.add("chat.security.admin-password", () -> Api.ADMIN_PASSWORD);
    }

    @BeforeEach
    void client() {
        api = new Api(port);
    }
}
