package app.parley.ui.chat;

import java.util.regex.Pattern;

/**
 * A shared file's name made safe for this disk before the save dialog offers it
 * (docs/PROTOCOL.md §15.5).
 *
 * <p>TODO(#26): switch to {@code protocol.FileNames.forSaving} once it is on main; this is the
 * minimal local version meanwhile.
 */
final class SaveNames {
    private static final Pattern NOT_ON_DISK =
            Pattern.compile("[/\\\\:*?\"<>|\\p{Cntrl}\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern RESERVED =
            Pattern.compile("(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\\..*)?", Pattern.CASE_INSENSITIVE);

    /** Characters, not bytes: file systems count UTF-16 units or bytes, 255 either way; this stays under both for most scripts. */
    private static final int MAX_CHARS = 120;

    private SaveNames() {}

    static String forSaving(String name) {
        String safe = NOT_ON_DISK.matcher(name == null ? "" : name).replaceAll("_");
        safe = safe.replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
        if (safe.isEmpty()) {
            return "file";
        }
        if (RESERVED.matcher(safe).matches()) {
            safe = "_" + safe;
        }
        if (safe.length() > MAX_CHARS) {
            int dot = safe.lastIndexOf('.');
            String extension = dot > 0 && safe.length() - dot <= 16 ? safe.substring(dot) : "";
            safe = safe.substring(0, MAX_CHARS - extension.length()) + extension;
        }
        return safe;
    }
}
