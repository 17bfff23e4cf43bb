package io.parley.embedded;

import java.util.Locale;

/** How long a start, stop or unpack took, as the logs print it ({@code "12.3 s"}). */
public final class Elapsed {

    private Elapsed() {
    }

    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    public static String since(long startNanos) {
        return seconds(System.nanoTime() - startNanos);
    }
}
