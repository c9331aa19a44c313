package app.parley.engine;

import java.nio.file.Path;

/**
 * Files the engine streams under {@link #PREFIX}: what a path opens, and who may open it, is the
 * caller's to decide (the chat signs links to shared files); the engine serves the bytes with
 * {@code Range}, the download headers and back-pressure (docs/PROTOCOL.md §15.3).
 */
public interface Downloads {
    String PREFIX = "/files/";

    /** What a request for {@code PREFIX + rest} gets; called on an I/O thread, so it must not block. */
    Answer find(String rest);

    /**
     * A file to send, or a refusal.
     *
     * @param status      200 for a file, else the refusal's HTTP status (403, 404, 410)
     * @param reason      the refusal's text for people
     * @param file        where the bytes are
     * @param contentType what to call them
     * @param disposition the whole {@code Content-Disposition} value, names already made safe
     */
    record Answer(int status, String reason, Path file, String contentType, String disposition) {
        public static Answer refused(int status, String reason) {
            return new Answer(status, reason, null, null, null);
        }

        public static Answer file(Path file, String contentType, String disposition) {
            return new Answer(200, null, file, contentType, disposition);
        }
    }
}
