package io.parley.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --key=value} (or {@code --flag}) options; every value read is remembered for the report. */
public final class Options {

    private final Map<String, String> given = new LinkedHashMap<>();
    private final Map<String, Object> used = new LinkedHashMap<>();

    public Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            int eq = a.indexOf('=');
            if (eq < 0) {
                given.put(a.substring(2), "true");
            } else {
                given.put(a.substring(2, eq), a.substring(eq + 1));
            }
        }
    }

    public String str(String key, String dflt) {
        String v = given.getOrDefault(key, dflt);
        used.put(key, v);
        return v;
    }

    public int integer(String key, int dflt) {
        int v = Integer.parseInt(given.getOrDefault(key, String.valueOf(dflt)));
        used.put(key, v);
        return v;
    }

    public long lng(String key, long dflt) {
        long v = Long.parseLong(given.getOrDefault(key, String.valueOf(dflt)));
        used.put(key, v);
        return v;
    }

    public double dbl(String key, double dflt) {
        double v = Double.parseDouble(given.getOrDefault(key, String.valueOf(dflt)));
        used.put(key, v);
        return v;
    }

    public boolean flag(String key) {
        boolean v = Boolean.parseBoolean(given.getOrDefault(key, "false"));
        used.put(key, v);
        return v;
    }

    public Map<String, Object> used() {
        return used;
    }

    public Map<String, String> given() {
        return given;
    }
}
