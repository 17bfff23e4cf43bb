package io.parley.gateway.media;

import java.util.Optional;

/** The parts of RFC 9110 that media downloads need: one byte range, and entity-tag matching. */
final class ByteRanges {

    private ByteRanges() {
    }

    record Range(long start, long end) {
        static Range whole(long length) {
            return new Range(0, length - 1);
        }

        long length() {
            return end - start + 1;
        }
    }

    /**
     * @return the single range asked for; empty to serve the whole file (a header we do not honour, such as
     * several ranges or another unit, which RFC 9110 lets a server ignore); null when no byte is in the range (416)
     */
    static Optional<Range> parse(String header, long length) {
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = value.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String first = spec.substring(0, dash).strip();
            String last = spec.substring(dash + 1).strip();
            if (first.isEmpty()) {
                // suffix range: the last N bytes
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || length == 0) {
                    return null;
                }
                return Optional.of(new Range(Math.max(0, length - suffix), length - 1));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
            if (start >= length || start > end) {
                return start >= length ? null : Optional.empty();
            }
            return Optional.of(new Range(start, end));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** If-None-Match: a list of entity tags or "*", compared weakly (a W/ prefix does not matter for a GET). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
