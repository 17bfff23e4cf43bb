package io.parley.embedded.elasticsearch;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.parley.embedded.EmbeddedStackException;

/**
 * Where the Elasticsearch integ-test zip is. Maven resolves it like any dependency and copies it into
 * {@code target/embedded} of the gateway (beside {@code parley-gateway.jar}) and of this module (for its own
 * integration tests); the node is unpacked from it on first start.
 */
public final class ElasticsearchDistribution {

    public static final String ZIP_NAME = "elasticsearch-" + EmbeddedElasticsearch.VERSION + ".zip";

    private ElasticsearchDistribution() {
    }

    /**
     * Finds the distribution zip: the configured path; else {@code embedded/<zip>} beside the running code
     * (the application jar's directory, the directory of the jar this class is nested in, or
     * {@code target/classes}' parent); else {@code gateway/target/embedded} or {@code target/embedded} under the
     * working directory; else the local Maven repository.
     */
    public static Path locate(Path configured) {
        if (configured != null) {
            if (!Files.isRegularFile(configured)) {
                throw new EmbeddedStackException("chat.search.distribution = " + configured.toAbsolutePath()
                        + " does not exist");
            }
            return configured;
        }
        List<Path> candidates = new ArrayList<>();
        Path code = codeLocation();
        if (code != null) {
            Path dir = code.getParent(); // target/classes -> target; x.jar -> its directory
            if (dir != null) {
                candidates.add(dir.resolve("embedded").resolve(ZIP_NAME));
                candidates.add(dir.resolve("target/embedded").resolve(ZIP_NAME));
            }
        }
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd.resolve("gateway/target/embedded").resolve(ZIP_NAME));
        candidates.add(cwd.resolve("target/embedded").resolve(ZIP_NAME));
        candidates.add(Path.of(System.getProperty("user.home"), ".m2/repository/org/elasticsearch/distribution/"
                + "integ-test-zip/elasticsearch", EmbeddedElasticsearch.VERSION, ZIP_NAME));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new EmbeddedStackException("The Elasticsearch distribution " + ZIP_NAME + " was not found (tried "
                + candidates + "). Build the gateway module (mvn -pl gateway generate-resources copies it) or set "
                + "chat.search.distribution, or point chat.search.url at a running cluster");
    }

    /**
     * The jar or classes directory this class was loaded from. Inside the Spring Boot fat jar that is the outer
     * application jar: {@code jar:nested:/path/app.jar/!BOOT-INF/lib/embedded-stack.jar!/} becomes
     * {@code /path/app.jar}, so the zip is looked for beside {@code parley-gateway.jar}.
     */
    private static Path codeLocation() {
        try {
            String loc = ElasticsearchDistribution.class.getProtectionDomain().getCodeSource().getLocation().toString();
            loc = loc.replaceFirst("^jar:", "").replaceFirst("^nested:", "file:");
            int bang = loc.indexOf("!");
            if (bang > 0) {
                loc = loc.substring(0, bang);
            }
            if (loc.endsWith("/") && loc.contains(".jar/")) {
                loc = loc.substring(0, loc.length() - 1);
            }
            return Path.of(URI.create(loc));
        } catch (Exception e) {
            return null;
        }
    }
}
