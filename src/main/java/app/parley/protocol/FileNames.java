package app.parley.protocol;

/** TEMPORARY stub until the files-safety branch lands. */
public final class FileNames {
    public static String shown(String raw) {
        String last = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1)
                .strip();
        return last.isEmpty() ? "file" : last;
    }

    public static String forSaving(String name) {
        return name.replaceAll("[/\\\\:*?\"<>|]", "_");
    }

    public static String forHeader(String name) {
        return name.replaceAll("[^ -~]|[\"\\\\]", "_");
    }

    public static String encodedForHeader(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private FileNames() {}
}
