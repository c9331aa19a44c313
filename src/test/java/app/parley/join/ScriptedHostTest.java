package app.parley.join;

import app.parley.session.SessionEvent;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests against a {@link ScriptedWire} host share: a folder for their files, the thread
 * the host answers on (as the socket's EventThread), the transfers' timers, and transfers over a
 * host with the ack timeout a test needs.
 */
abstract class ScriptedHostTest {
    @TempDir
    Path dir;

    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService eventThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThreads() {
        timers.shutdownNow();
        eventThread.shutdownNow();
    }

    /** Transfers over {@code host}, each ack awaited {@code ackTimeoutMillis}, events to {@code events}. */
    FileTransfers transfers(FileTransfers.Wire host, long ackTimeoutMillis, Consumer<SessionEvent> events) {
        System.setProperty("parley.fileAckTimeoutMillis", String.valueOf(ackTimeoutMillis));
        try {
            return new FileTransfers(host, timers, () -> true, id -> null, id -> {}, events, "scripted");
        } finally {
            System.clearProperty("parley.fileAckTimeoutMillis");
        }
    }

    /** {@code size} random bytes, the same for the same {@code seed}: a file's content. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The SHA-256 of {@code bytes} in hex, as a file's message names it (callable from a scripted answer). */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Transfers over {@code host} with the shipped ack timeout, events dropped. */
    FileTransfers transfers(FileTransfers.Wire host) {
        return new FileTransfers(host, timers, () -> true, id -> null, id -> {}, e -> {}, "scripted");
    }
}
