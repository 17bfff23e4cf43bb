package io.parley.bench.stats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes {@code /actuator/prometheus} (text format 0.0.4) into series name{labels} -> value. The platform serves
 * it to ADMIN only, so the scraper signs in as the admin the platform creates at start-up
 * ({@code chat.security.admin-handle} / {@code admin-password}): the handle from env {@code PARLEY_ADMIN_HANDLE}
 * (default {@code admin}), the password from env {@code PARLEY_ADMIN_PASSWORD} ({@code bench/run-all.sh} sets both
 * sides). Without a password it scrapes anonymously, which the platform refuses: the reports then lack server
 * metrics.
 */
public final class Prometheus {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final String baseUrl;
    private final URI uri;
    private final String adminHandle;
    private final String adminPassword;
    private volatile String token;

    public Prometheus(HttpClient http, String baseUrl) {
        this(http, baseUrl, envOr("PARLEY_ADMIN_HANDLE", "admin"), envOr("PARLEY_ADMIN_PASSWORD", null));
    }

    public Prometheus(HttpClient http, String baseUrl, String adminHandle, String adminPassword) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.uri = URI.create(baseUrl + "/actuator/prometheus");
        this.adminHandle = adminHandle;
        this.adminPassword = adminPassword;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A scrape, or null when the endpoint is absent (the baseline has none) or refuses us. */
    public Snapshot scrape() {
        try {
            if (token == null && adminPassword != null) {
                token = signIn();
            }
            HttpResponse<String> r = get();
            if ((r.statusCode() == 401 || r.statusCode() == 403) && adminPassword != null) {
                token = signIn(); // access tokens live 15 minutes: a long run signs in again
                r = get();
            }
            if (r.statusCode() != 200) {
                return null;
            }
            return Snapshot.parse(r.body(), System.nanoTime());
        } catch (Exception e) {
            return null;
        }
    }

    private HttpResponse<String> get() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/plain;version=0.0.4").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin's access token, or null when the sign-in fails (the baseline has no admin). */
    private String signIn() throws IOException, InterruptedException {
        String body = "{\"handle\":\"" + jsonEscape(adminHandle) + "\",\"password\":\"" + jsonEscape(adminPassword) + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/auth/token"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        return m.find() ? m.group(1) : null;
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public record Series(String name, Map<String, String> labels, double value) {
        public String key() {
            return labels.isEmpty() ? name : name + labels;
        }
    }

    public record Snapshot(long atNanos, Map<String, Series> series) {

        static Snapshot parse(String text, long at) {
            Map<String, Series> out = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                try {
                    Series s = parseLine(line);
                    if (s != null) {
                        out.put(s.key(), s);
                    }
                } catch (RuntimeException ignored) {
                    // an odd line: skip it
                }
            }
            return new Snapshot(at, out);
        }

        static Series parseLine(String line) {
            int brace = line.indexOf('{');
            int space;
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < line.indexOf(' ')) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                String body = line.substring(brace + 1, close);
                int i = 0;
                while (i < body.length()) {
                    int eq = body.indexOf('=', i);
                    if (eq < 0) {
                        break;
                    }
                    String k = body.substring(i, eq).trim();
                    int q = body.indexOf('"', eq) + 1;
                    StringBuilder v = new StringBuilder();
                    int j = q;
                    while (j < body.length() && body.charAt(j) != '"') {
                        if (body.charAt(j) == '\\' && j + 1 < body.length()) {
                            j++;
                        }
                        v.append(body.charAt(j));
                        j++;
                    }
                    labels.put(k, v.toString());
                    i = j + 1;
                    while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                        i++;
                    }
                }
                space = close + 1;
            } else {
                space = line.indexOf(' ');
                name = line.substring(0, space);
            }
            String rest = line.substring(space).trim();
            int sp = rest.indexOf(' ');
            String v = sp < 0 ? rest : rest.substring(0, sp);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
            return new Series(name, labels, value);
        }

        public List<Series> named(String name) {
            List<Series> l = new ArrayList<>();
            for (Series s : series.values()) {
                if (s.name().equals(name)) {
                    l.add(s);
                }
            }
            return l;
        }

        public double sum(String name, String labelKey, String labelValue) {
            double t = 0;
            for (Series s : named(name)) {
                if (labelKey == null || labelValue.equals(s.labels().get(labelKey))) {
                    t += s.value();
                }
            }
            return t;
        }

        public boolean has(String name) {
            for (Series s : series.values()) {
                if (s.name().equals(name)) {
                    return true;
                }
            }
            return false;
        }
    }
}
