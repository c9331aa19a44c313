package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shelf keeps bytes once by their SHA-256, makes room oldest first, and starts clean after a crash. */
class FileShelfTest {
    @TempDir
    Path dir;

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Path upload(FileShelf shelf, String key, byte[] bytes) throws Exception {
        Path partial = shelf.partialFile(key);
        Files.write(partial, bytes);
        return partial;
    }

    @Test
    void theSameBytesSentTwiceAreKeptOnce() throws Exception {
        FileShelf shelf = FileShelf.open(dir, 0);
        byte[] bytes = new byte[10_000];
        String sha = sha(bytes);
        shelf.admit(upload(shelf, "first", bytes), sha);
        shelf.admit(upload(shelf, "second", bytes), sha);
        assertThat(shelf.used()).isEqualTo(10_000);
        assertThat(shelf.path(sha)).exists().hasParent(dir.toAbsolutePath().resolve(sha.substring(0, 2)));
        try (var partial = Files.list(dir.resolve("partial"))) {
            assertThat(partial).as("the second copy is not left behind").isEmpty();
        }
    }

    @Test
    void aQuotaDeletesTheOldestOthersToMakeRoom() throws Exception {
        FileShelf shelf = FileShelf.open(dir, 25_000);
        byte[] a = new byte[10_000];
        byte[] b = new byte[10_001];
        byte[] c = new byte[10_002];
        shelf.admit(upload(shelf, "a", a), sha(a));
        Thread.sleep(5);
        shelf.admit(upload(shelf, "b", b), sha(b));
        Thread.sleep(5);
        assertThat(shelf.admit(upload(shelf, "c", c), sha(c))).containsExactly(sha(a));
        assertThat(shelf.has(sha(a))).isFalse();
        assertThat(shelf.has(sha(b))).isTrue();
        assertThat(shelf.has(sha(c))).isTrue();
        assertThat(shelf.used()).isEqualTo(20_003);
    }

    @Test
    void reopeningFindsTheFilesAndDropsHalfDoneUploads() throws Exception {
        FileShelf shelf = FileShelf.open(dir, 0);
        byte[] bytes = {1, 2, 3};
        shelf.admit(upload(shelf, "done", bytes), sha(bytes));
        upload(shelf, "half", new byte[] {9});

        FileShelf again = FileShelf.open(dir, 0);
        assertThat(again.has(sha(bytes))).isTrue();
        assertThat(again.used()).isEqualTo(3);
        assertThat(again.partialFile("half")).doesNotExist();
    }
}
