package io.parley.gateway.cluster;

import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.stack.ChatStackProperties;
import io.parley.embedded.stack.EmbeddedStack;
import io.parley.gateway.support.Api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Two platform nodes as two JVMs of the packaged jar ({@code target/parley-gateway.jar}, profile {@code cluster}),
 * on development servers started in the test JVM (PostgreSQL and Elasticsearch children, the MongoDB wire server
 * on TCP), behind nginx (Debian's, unprivileged on loopback ports, its configuration generated under
 * {@code target/}) routing by {@code ?route=} / cookie {@code parley_route} with a consistent hash. Everything
 * started is stopped in {@link #close()}: nodes (SIGKILL if SIGTERM is not enough), nginx, the servers.
 */
final class ClusterNodes implements AutoCloseable {

    record Node(String name, int port, Process process, Api api, Path log) {
        long pid() {
            return process.pid();
        }
    }

    final Path dir;
    final EmbeddedStack servers;
    final List<Node> nodes = new ArrayList<>();
    Process nginx;
    int nginxPort;

    /** The same master key on every node, as the cluster profile requires (base64 of 32 bytes). */
    private static final String MASTER_KEY = Base64.getEncoder()
            .encodeToString("the cluster test's master key!!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private ClusterNodes(Path dir, EmbeddedStack servers) {
        this.dir = dir;
        this.servers = servers;
    }

    static ClusterNodes start(int count) throws Exception {
        String nginxBinary = nginxBinary();
        Path jar = Path.of("target", "parley-gateway.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the packaged jar " + jar + " is missing: run the build's package phase first");
        }
        Path dir = Path.of("target", "it-data", "cluster-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(dir);
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        int searchPort = LoopbackPorts.choose(0, "search");
        ChatStackProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "chat.data-dir", dir.resolve("servers").toString(),
                "chat.search.port", String.valueOf(searchPort),
                "chat.search.heap", "320m")))
                .bindOrCreate("chat", ChatStackProperties.class);
        ClusterNodes cluster = new ClusterNodes(dir, new EmbeddedStack(properties).begin());
        try {
            EmbeddedStack.PostgresConnection pg = cluster.servers.awaitPostgres();
            String secret = Base64.getEncoder().encodeToString("a shared key for the cluster test of 32+ bytes".getBytes());
            // every node at once on the empty databases: the tables each part creates at start race in
            // PostgreSQL's catalog unless the start-up lock puts the nodes' start-ups one after the other
            // (README, "Several nodes")
            for (int i = 1; i <= count; i++) {
                cluster.launch("node-" + i, jar, pg, cluster.servers.mongoConnectionString(),
                        "http://127.0.0.1:" + searchPort, secret);
            }
            cluster.startNginx(nginxBinary);
            for (Node node : cluster.nodes) {
                awaitUp(node, Duration.ofMinutes(4));
            }
            return cluster;
        } catch (Throwable e) {
            cluster.close();
            throw e;
        }
    }

    /** Debian's nginx: installed by {@code .ci/run} when missing; a clear failure otherwise. */
    static String nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("nginx is not installed (apt-get install nginx; .ci/run does it):"
                + " the multi-node test routes its clients through it");
    }

    private void launch(String name, Path jar, EmbeddedStack.PostgresConnection pg, String mongo, String search,
                        String secret) throws IOException {
        int port = LoopbackPorts.choose(0, name);
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Path log = data.resolve("node.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toString(),
                "--spring.profiles.active=cluster",
                "--server.port=" + port,
                "--chat.data-dir=" + data,
                "--chat.cluster.node-id=" + name,
                "--chat.postgres.url=" + pg.jdbcUrl(),
                "--chat.postgres.username=" + pg.username(),
                "--chat.postgres.password=" + pg.password(),
                "--chat.mongo.uri=" + mongo,
                "--chat.search.url=" + search,
                "--chat.security.jwt-secret=" + secret,
                "--chat.privacy.master-key=" + MASTER_KEY,
                "--chat.security.admin-password=" + Api.ADMIN_PASSWORD,
                "--chat.limits.sign-ups=100000",
                "--spring.jmx.enabled=false",
                "--logging.level.root=WARN",
                "--logging.level.io.parley.gateway.app.cluster=INFO");
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        nodes.add(new Node(name, port, builder.start(), new Api(port), log));
    }

    private void startNginx(String binary) throws IOException, InterruptedException {
        nginxPort = LoopbackPorts.choose(0, "nginx");
        Path prefix = dir.resolve("nginx");
        Files.createDirectories(prefix.resolve("logs"));
        // the shipped docker/nginx.conf itself, with this test's nodes as its upstreams and a loopback port; the
        // header names the node that answered (routeTo finds a route to each node with it)
        String shipped = Files.readString(SHIPPED_NGINX_CONF);
        String upstreams = shipped.replaceAll("(?m)^\\s*server gateway\\d+:8080.*\\R", "");
        StringBuilder servers = new StringBuilder();
        for (Node node : nodes) {
            servers.append("    server 127.0.0.1:").append(node.port()).append(" max_fails=1 fail_timeout=30s;\n");
        }
        String site = upstreams.replace("hash $parley_route consistent;\n", "hash $parley_route consistent;\n" + servers)
                .replace("listen 80;", "listen 127.0.0.1:" + nginxPort + ";\n    add_header X-Parley-Upstream $upstream_addr always;");
        if (site.equals(shipped) || !site.contains("127.0.0.1:" + nodes.get(0).port())) {
            throw new AssertionError("docker/nginx.conf no longer has the upstream and listen lines this test rewrites");
        }
        Files.writeString(prefix.resolve("site.conf"), site);
        String conf = """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/site.conf;
                }
                """.formatted(prefix);
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, conf);
        ProcessBuilder builder = new ProcessBuilder(binary, "-p", prefix.toString(), "-c", file.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(prefix.resolve("logs/stdout.log").toFile());
        nginx = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LoopbackPorts.isFree(nginxPort)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("nginx did not start: " + Files.readString(prefix.resolve("logs/stdout.log"))
                        + readQuietly(prefix.resolve("logs/error.log")));
            }
            Thread.sleep(100);
        }
    }

    /** The nginx configuration docker/ ships, relative to the gateway module (Maven's working directory). */
    static final Path SHIPPED_NGINX_CONF = Path.of("..", "docker", "nginx.conf");

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitUp(Node node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.process().isAlive()) {
                throw new AssertionError(node.name() + " exited during start-up:\n" + tail(node.log()));
            }
            try {
                if (node.api().get("/actuator/health", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(node.name() + " not healthy within " + timeout.toSeconds() + " s:\n" + tail(node.log()));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Api proxy() {
        return new Api(nginxPort);
    }

    String wsUrl(String route) {
        return "ws://127.0.0.1:" + nginxPort + "/ws?route=" + route;
    }

    /** A route value nginx sends to {@code node}, found by asking through it (the upstream it chose is a header). */
    String routeTo(Node node) {
        for (int i = 0; i < 200; i++) {
            String route = "r" + i;
            Api.Response response = proxy().get("/actuator/health?route=" + route, null);
            String upstream = response.raw().headers().firstValue("X-Parley-Upstream").orElse("");
            if (upstream.endsWith(":" + node.port())) {
                return route;
            }
        }
        throw new AssertionError("no route found to " + node.name());
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.process().destroy();
        }
        for (Node node : nodes) {
            try {
                if (!node.process().waitFor(30, TimeUnit.SECONDS)) {
                    node.process().destroyForcibly();
                    node.process().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                node.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (nginx != null) {
            nginx.destroy();
            try {
                if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                    nginx.destroyForcibly();
                }
            } catch (InterruptedException e) {
                nginx.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        servers.destroy();
    }
}
