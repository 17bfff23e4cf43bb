package io.parley.bench;

/** Field extraction from the platform's flat JSON frames without a full parse (the generator's CPU is scarce). */
public final class Json {

    private Json() {
    }

    /** The string value of the first {@code "field":"..."}, or null. */
    public static String str(String json, String field) {
        String key = "\"" + field + "\"";
        int i = json.indexOf(key);
        while (i >= 0) {
            int j = i + key.length();
            while (j < json.length() && json.charAt(j) == ' ') {
                j++;
            }
            if (j < json.length() && json.charAt(j) == ':') {
                j++;
                while (j < json.length() && json.charAt(j) == ' ') {
                    j++;
                }
                if (j < json.length() && json.charAt(j) == '"') {
                    int end = json.indexOf('"', j + 1);
                    while (end > 0 && json.charAt(end - 1) == '\\') {
                        end = json.indexOf('"', end + 1);
                    }
                    return end < 0 ? null : json.substring(j + 1, end);
                }
                return null; // null or a non-string
            }
            i = json.indexOf(key, i + 1);
        }
        return null;
    }

    /** The integer value of the first {@code "field":123}, or {@code dflt}. */
    public static long num(String json, String field, long dflt) {
        String key = "\"" + field + "\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return dflt;
        }
        int j = i + key.length();
        while (j < json.length() && (json.charAt(j) == ' ' || json.charAt(j) == ':')) {
            j++;
        }
        int s = j;
        while (j < json.length() && (Character.isDigit(json.charAt(j)) || json.charAt(j) == '-')) {
            j++;
        }
        return j == s ? dflt : Long.parseLong(json.substring(s, j));
    }

    public static boolean has(String json, String field) {
        return json.contains("\"" + field + "\"");
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
