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

    /** {@code org.apache.tomcat.websocket.Constants.DEFAULT_BUFFER_SIZE}'s property, in bytes. */
    static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    /*
     * Axon 4.13's update checker sends the library versions and machine facts to AxonIQ at start and then
     * periodically, and writes a properties file into the user's home: a chat platform does not report on its
     * host without being asked (README, Reliability and security). It reads only this system property (or the
     * env AXONIQ_UPDATE_CHECKER_DISABLED), so it is set before any Axon class runs; an operator may still set it
     * to false. In the class's initializer so tests that start the context without main() get it too.
     */
    static {
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
        /*
         * Tomcat gives every WebSocket session a read buffer, an output buffer and an encoder buffer of this size
         * (8 KB by default), allocated when the session opens and read only from this system property: at 2 KB an
         * idle connection holds 18 KB less (README, Performance, "Idle connections"). A larger frame is read in
         * more passes and sent as several WebSocket fragments, which every client reassembles.
         */
        if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
            System.setProperty(TOMCAT_WEBSOCKET_BUFFER, "2048");
        }
    }

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--dev-servers")) {
            // the development servers of several nodes (README, "Several nodes"): no platform in this JVM
            io.parley.embedded.stack.DevServers.main(args);
            return;
        }
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        if (java.util.Arrays.stream(args).anyMatch(arg -> arg.startsWith("--" + ReplayCommand.OPTION))) {
            // a replay from the command line serves no clients: any free port, never the platform's own
            application.setDefaultProperties(java.util.Map.of("server.port", "0"));
        }
        application.run(args);
    }
}
