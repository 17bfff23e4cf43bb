package io.parley.bench.stomp;

import java.util.LinkedHashMap;
import java.util.Map;

/** One STOMP 1.2 frame: command, headers (first occurrence wins, as the spec says), body. */
public record StompFrame(String command, Map<String, String> headers, String body) {

    public String header(String name) {
        return headers.get(name);
    }

    /** Encodes a client frame; header values are escaped as STOMP 1.2 requires (not for CONNECT). */
    public static String encode(String command, String body, String... headerPairs) {
        StringBuilder sb = new StringBuilder(64 + (body == null ? 0 : body.length()));
        sb.append(command).append('\n');
        boolean escape = !"CONNECT".equals(command);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            sb.append(headerPairs[i]).append(':')
                    .append(escape ? escapeHeader(headerPairs[i + 1]) : headerPairs[i + 1]).append('\n');
        }
        if (body != null && !body.isEmpty()) {
            sb.append("content-length:").append(utf8Length(body)).append('\n');
        }
        sb.append('\n');
        if (body != null) {
            sb.append(body);
        }
        sb.append('\0');
        return sb.toString();
    }

    static String escapeHeader(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf(':') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return v.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace(":", "\\c");
    }

    static String unescapeHeader(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 'c' -> ':';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Decodes one frame from {@code text[start, end)} (without the terminating NUL). Leading EOLs
     * (heart-beats) must already be skipped. Returns null for an empty range.
     */
    static StompFrame decode(String text, int start, int end) {
        if (start >= end) {
            return null;
        }
        int nl = text.indexOf('\n', start);
        if (nl < 0 || nl > end) {
            return new StompFrame(text.substring(start, end).trim(), Map.of(), "");
        }
        String command = text.substring(start, lineEnd(text, start, nl));
        Map<String, String> headers = new LinkedHashMap<>(8);
        int pos = nl + 1;
        while (pos < end) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0 || eol > end) {
                eol = end;
            }
            int le = lineEnd(text, pos, eol);
            if (le == pos) { // blank line: body follows
                pos = eol + 1;
                break;
            }
            int colon = text.indexOf(':', pos);
            if (colon > 0 && colon < le) {
                headers.putIfAbsent(unescapeHeader(text.substring(pos, colon)), unescapeHeader(text.substring(colon + 1, le)));
            }
            pos = eol + 1;
        }
        String body = pos < end ? text.substring(pos, end) : "";
        return new StompFrame(command, headers, body);
    }

    private static int lineEnd(String text, int from, int nl) {
        return nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
    }
}
