package app.parley.protocol;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * File names a peer sent, made safe to show, to save and to put in an HTTP header
 * (docs/PROTOCOL.md §15.5).
 *
 * <p>Why: a name is chosen by whoever sends the file. Unchecked it could climb out of a folder
 * ({@code ../../etc/passwd}), hide its real extension behind a right-to-left override
 * ("invoice", U+202E, "gpj.exe" shows as "invoiceexe.jpg"), name a Windows device ({@code CON}),
 * or break a {@code Content-Disposition} header. The host applies {@link #shown}; every receiver
 * applies {@link #forSaving} again before touching its own disk, because it must not trust
 * another host to have done so.
 *
 * <pre>{@code
 * FileNames.shown("../../etc/passwd")   // "passwd"
 * FileNames.forSaving("con.txt")        // "_con.txt"
 * }</pre>
 */
public final class FileNames {

    /** The most UTF-8 bytes a name may take: ext4's limit; APFS and NTFS allow at least as much. */
    public static final int MAX_BYTES = 255;

    private static final String FALLBACK = "file";
    private static final int MAX_EXTENSION = 16;

    /** Forbidden on Windows (and '/' everywhere; ':' is a separator to macOS' Finder). */
    private static final String NOT_ON_DISK = "/\\:*?\"<>|";

    /**
     * Windows' device names, matched on the part before the first dot. Windows also treats
     * superscript digits and 0 as port numbers, so those are caught too.
     */
    private static final Pattern RESERVED = Pattern.compile("(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])");

    private static final String ATTR_CHAR_PUNCTUATION = "!#$&+-.^_`|~";

    private FileNames() {}

    /**
     * What the host keeps and every client shows: the last path segment, in NFC, without
     * control, bidi or other invisible characters, trimmed, at most {@value #MAX_BYTES} UTF-8
     * bytes with its extension kept; {@code "file"} when nothing is left.
     */
    public static String shown(String raw) {
        if (raw == null) {
            return FALLBACK;
        }
        String name = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
        // Removed before NFC: a character between a letter and its accent would block composing them.
        name = Normalizer.normalize(withoutInvisible(name), Normalizer.Form.NFC);
        name = stripSpace(name);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return FALLBACK;
        }
        return cut(name, MAX_BYTES);
    }

    /**
     * A name to save under on Windows, macOS or Linux: {@link #shown}, then without
     * {@code / \ : * ? " < > |}, a leading dot (a hidden file), trailing dots or spaces
     * (which Windows drops), or a Windows device name ({@code CON}, {@code lpt1.log}).
     */
    public static String forSaving(String name) {
        StringBuilder safe = new StringBuilder(shown(name));
        for (int i = 0; i < safe.length(); i++) {
            if (NOT_ON_DISK.indexOf(safe.charAt(i)) >= 0) {
                safe.setCharAt(i, '_');
            }
        }
        String saved = stripTrailingDotsAndSpaces(safe.toString());
        if (saved.isEmpty()) {
            return FALLBACK;
        }
        if (saved.startsWith(".") || isReserved(saved)) {
            saved = "_" + saved;
        }
        // The '_' may have made it 256 bytes; the cut keeps the start, so the prefix stays.
        return stripTrailingDotsAndSpaces(cut(saved, MAX_BYTES));
    }

    /**
     * The ASCII fallback for {@code Content-Disposition: attachment; filename="..."}: the
     * {@link #forSaving} name with every non-ASCII character, quote, backslash and percent
     * sign as {@code _} (some browsers decode percent escapes here). Browsers that read
     * {@code filename*} use {@link #encodedForHeader} instead.
     */
    public static String forHeader(String name) {
        String saved = forSaving(name);
        StringBuilder ascii = new StringBuilder(saved.length());
        saved.codePoints()
                .forEach(
                        c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
        return ascii.toString();
    }

    /**
     * The {@link #forSaving} name percent-encoded as RFC 5987 wants for
     * {@code filename*=UTF-8''<this>}: its UTF-8 bytes, all but the attr-chars as {@code %XX}.
     * For example {@code "café 1.txt"} gives {@code "caf%C3%A9%201.txt"}.
     */
    public static String encodedForHeader(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : forSaving(name).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || ATTR_CHAR_PUNCTUATION.indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return encoded.toString();
    }

    /**
     * Without controls (Cc), format characters (Cf: bidi overrides, embeddings, isolates and
     * marks, zero-width spaces and joiners, BOM), line and paragraph separators, and halves
     * of surrogate pairs, which no file system can store as UTF-8.
     */
    private static String withoutInvisible(String name) {
        StringBuilder kept = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            switch (Character.getType(c)) {
                case Character.CONTROL,
                        Character.FORMAT,
                        Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR,
                        Character.SURROGATE -> {}
                default -> kept.appendCodePoint(c);
            }
        });
        return kept.toString();
    }

    /** Like {@link String#strip}, but also no-break and other Unicode spaces, which look as blank. */
    private static String stripSpace(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && isSpace(name.codePointAt(start))) {
            start += Character.charCount(name.codePointAt(start));
        }
        while (end > start && isSpace(name.codePointBefore(end))) {
            end -= Character.charCount(name.codePointBefore(end));
        }
        return name.substring(start, end);
    }

    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String stripTrailingDotsAndSpaces(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || isSpace(name.charAt(end - 1)))) {
            end--;
        }
        return name.substring(0, end);
    }

    private static boolean isReserved(String name) {
        int dot = name.indexOf('.');
        String stem = stripSpace(dot < 0 ? name : name.substring(0, dot));
        return RESERVED.matcher(stem.toUpperCase(Locale.ROOT)).matches();
    }

    /**
     * At most {@code maxBytes} UTF-8 bytes, cut from the end of the part before the extension
     * (the last '.', when what follows is at most 16 characters) so the type stays visible,
     * and only between code points.
     */
    private static String cut(String name, int maxBytes) {
        if (utf8Length(name) <= maxBytes) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0 && name.codePointCount(dot + 1, name.length()) <= MAX_EXTENSION;
        String extension = hasExtension ? name.substring(dot) : "";
        String stem = hasExtension ? name.substring(0, dot) : name;
        int room = maxBytes - utf8Length(extension);
        int end = 0;
        int used = 0;
        while (end < stem.length()) {
            int c = stem.codePointAt(end);
            int bytes = utf8Length(c);
            if (used + bytes > room) {
                break;
            }
            used += bytes;
            end += Character.charCount(c);
        }
        return stem.substring(0, end) + extension;
    }

    private static int utf8Length(String s) {
        return s.codePoints().map(FileNames::utf8Length).sum();
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
