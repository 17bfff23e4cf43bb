package io.parley.command.media;

/** Client-supplied file names, made safe to store and to echo in a Content-Disposition header. */
public final class FileNames {

    static final int MAX = 255;

    private FileNames() {
    }

    /**
     * Keeps the last path segment (browsers on Windows send full paths), drops control characters, quotes and
     * backslashes, trims, and caps the length; an empty result becomes "file".
     */
    public static String sanitize(String name) {
        if (name == null) {
            return "file";
        }
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        last.codePoints()
                .filter(c -> !Character.isISOControl(c) && c != '"' && c != '\\' && c != '/'
                        && Character.getType(c) != Character.FORMAT)
                .forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        while (result.startsWith(".")) {
            result = result.substring(1);
        }
        if (result.length() > MAX) {
            int end = result.offsetByCodePoints(0, Math.min(result.codePointCount(0, result.length()), MAX));
            result = result.substring(0, Math.min(end, MAX));
            if (Character.isHighSurrogate(result.charAt(result.length() - 1))) {
                result = result.substring(0, result.length() - 1);
            }
        }
        return result.isEmpty() ? "file" : result;
    }
}
