package io.parley.gateway.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The runnable platform. It scans every module's {@code io.parley} packages: aggregates (command-side),
 * projections, query handlers and this gateway's web, STOMP and embedded-stack configuration.
 */
@SpringBootApplication(scanBasePackages = "io.parley")
@ConfigurationPropertiesScan("io.parley")
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
