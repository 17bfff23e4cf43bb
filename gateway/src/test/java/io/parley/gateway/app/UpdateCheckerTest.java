package io.parley.gateway.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform does not report its host to AxonIQ unless an operator asks it to (GatewayApplication). */
class UpdateCheckerTest {

    @Test
    void axonsUpdateCheckerIsOffOnceThePlatformClassIsLoaded() throws Exception {
        Class.forName(GatewayApplication.class.getName(), true, getClass().getClassLoader());
        assertThat(System.getProperty("axoniq.update-checker.disabled")).isEqualTo("true");
    }
}
