package app.parley.host;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches shared files on disk (writing chunks, checking, reading slices), so
 * no I/O thread waits for the disk, and a request's work runs in the order its requests came.
 */
final class FilesThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FilesThread.class);

    private final ChatRequests chat;
    private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-files");
        t.setDaemon(true);
        return t;
    });

    FilesThread(ChatRequests chat) {
        this.chat = chat;
    }

    /** Runs {@code work} on the files thread; if it cannot (stopping) or it fails, the client is told. */
    void run(SocketIOClient client, AckRequest ack, String event, Runnable work) {
        try {
            disk.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("A file request failed", e);
                    chat.refuse(client, ack, event, "the host could not handle the file; try again");
                }
            });
        } catch (RejectedExecutionException e) {
            chat.refuse(client, ack, event, "the host is stopping");
        }
    }

    /** Lets what is queued finish (a few seconds at most), then stops. */
    @Override
    public void close() {
        disk.shutdown();
        try {
            disk.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
