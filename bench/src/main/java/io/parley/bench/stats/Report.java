package io.parley.bench.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The final report: one ordered tree, written as JSON and as indented text, and printed. */
public final class Report {

    private final Map<String, Object> root = new LinkedHashMap<>();

    public Map<String, Object> root() {
        return root;
    }

    public Report put(String k, Object v) {
        root.put(k, v);
        return this;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String k) {
        return (Map<String, Object>) root.computeIfAbsent(k, x -> new LinkedHashMap<String, Object>());
    }

    public Path[] write(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path json = dir.resolve(name + "-" + stamp + ".json");
        Path txt = dir.resolve(name + "-" + stamp + ".txt");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), root);
        Files.writeString(txt, text());
        return new Path[]{txt, json};
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        render(sb, root, 0);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static void render(StringBuilder sb, Map<String, Object> m, int depth) {
        String pad = "  ".repeat(depth);
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> mm && isPercentiles((Map<String, Object>) mm)) {
                sb.append(pad).append(e.getKey()).append(": ").append(percentileLine((Map<String, Object>) mm)).append('\n');
            } else if (v instanceof Map<?, ?> mm && !mm.isEmpty()) {
                sb.append(pad).append(e.getKey()).append(":\n");
                render(sb, (Map<String, Object>) mm, depth + 1);
            } else if (v instanceof Collection<?> c && !c.isEmpty() && c.iterator().next() instanceof Map) {
                sb.append(pad).append(e.getKey()).append(":\n");
                int i = 0;
                for (Object o : c) {
                    sb.append(pad).append("  - [").append(i++).append("]\n");
                    render(sb, (Map<String, Object>) o, depth + 2);
                }
            } else {
                sb.append(pad).append(e.getKey()).append(": ").append(v).append('\n');
            }
        }
    }

    static boolean isPercentiles(Map<String, Object> m) {
        return m.containsKey("p50_ms") && m.containsKey("p99_9_ms");
    }

    static String percentileLine(Map<String, Object> m) {
        return String.format("n=%s  p50=%s  p90=%s  p99=%s  p99.9=%s  max=%s ms  (mean %s)", m.get("count"), m.get("p50_ms"),
                m.get("p90_ms"), m.get("p99_ms"), m.get("p99_9_ms"), m.get("max_ms"), m.get("mean_ms"));
    }
}
