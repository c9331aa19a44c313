package app.parley.ui.lines;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javafx.collections.ModifiableObservableListBase;

/**
 * A conversation's lines, kept in columns: times and kinds in primitive arrays, the sender, scope
 * and status as references to strings that many lines share, and the words as UTF-8 in large
 * byte chunks. A line adds no object of its own, so the window's full collections, which mark and
 * move every object, cost the same at 100,000 lines as at 100; {@link #get} makes the
 * {@link ConversationLine} the view asks for.
 *
 * <p>An observable list like any other: adding, setting and removing anywhere fire the usual
 * changes. The words of a removed or replaced line stay in their chunk; when such leftovers are
 * more than half of what the chunks hold, the words are copied into fresh chunks.
 */
public final class LineColumns extends ModifiableObservableListBase<ConversationLine> {
    /**
     * Words are appended to chunks of at most this size; longer words get a chunk of their own. A
     * quarter of a MB: in the window's G1 heap (1 MB regions) an array of half a region or more is
     * "humongous", given whole regions of its own, and a 1 MB chunk took two.
     */
    private static final int CHUNK = 1 << 18;

    private static final int FIRST_CHUNK = 4096;

    private int size;
    private long[] seconds = new long[16];
    private int[] nanos = new int[16];
    private byte[] kinds = new byte[16];
    private String[] senders = new String[16];
    private String[] scopes = new String[16];
    private String[] statuses = new String[16];
    /** Mostly nulls: a reference per line, so only the few lines with a file cost more. */
    private Attachment[] attachments = new Attachment[16];
    /** Where the words of line i are: chunk {@code textChunk[i]}, from {@code textStart[i]}, {@code textLength[i]} bytes. */
    private int[] textChunk = new int[16];

    private int[] textStart = new int[16];
    private int[] textLength = new int[16];

    private final List<byte[]> chunks = new ArrayList<>();
    /** Bytes used in the last chunk. */
    private int used;
    /** Bytes held in chunks for lines no longer in the list. */
    private long leftover;

    private long held;

    private static final ConversationLine.Kind[] KINDS = ConversationLine.Kind.values();

    @Override
    public ConversationLine get(int index) {
        checkIndex(index);
        String text = textOf(index, chunks);
        return new ConversationLine(
                seconds[index],
                nanos[index],
                senders[index],
                scopes[index],
                text,
                KINDS[kinds[index]],
                statuses[index],
                attachments[index]);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    protected void doAdd(int index, ConversationLine line) {
        if (index < 0 || index > size) {
            throw new IndexOutOfBoundsException("Index: " + index + ", size: " + size);
        }
        if (size == seconds.length) {
            grow();
        }
        int moved = size - index;
        if (moved > 0) {
            shift(index, index + 1, moved);
        }
        size++;
        put(index, line);
        storeText(index, line.text());
    }

    @Override
    protected ConversationLine doSet(int index, ConversationLine line) {
        ConversationLine old = get(index);
        put(index, line);
        if (!Objects.equals(old.text(), line.text())) {
            leftover += Math.max(0, textLength[index]);
            storeText(index, line.text());
            compactIfMostlyLeftover();
        }
        return old;
    }

    @Override
    protected ConversationLine doRemove(int index) {
        ConversationLine old = get(index);
        leftover += Math.max(0, textLength[index]);
        int moved = size - index - 1;
        if (moved > 0) {
            shift(index + 1, index, moved);
        }
        size--;
        senders[size] = null;
        scopes[size] = null;
        statuses[size] = null;
        attachments[size] = null;
        compactIfMostlyLeftover();
        return old;
    }

    private void put(int index, ConversationLine line) {
        seconds[index] = line.epochSecond();
        nanos[index] = line.nano();
        kinds[index] = (byte) line.kind().ordinal();
        senders[index] = line.sender();
        scopes[index] = line.scope();
        statuses[index] = line.status();
        attachments[index] = line.attachment();
    }

    /** Appends the words to the last chunk (a new one when they do not fit); null is length -1. */
    private void storeText(int index, String text) {
        if (text == null) {
            textChunk[index] = 0;
            textStart[index] = 0;
            textLength[index] = -1;
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (chunks.isEmpty() || used + bytes.length > chunks.get(chunks.size() - 1).length) {
            // a conversation of a few lines holds a few kB; chunks double up to CHUNK as it grows
            int size = chunks.isEmpty() ? FIRST_CHUNK : Math.min(CHUNK, chunks.get(chunks.size() - 1).length * 2);
            chunks.add(new byte[Math.max(size, bytes.length)]);
            used = 0;
        }
        byte[] chunk = chunks.get(chunks.size() - 1);
        System.arraycopy(bytes, 0, chunk, used, bytes.length);
        textChunk[index] = chunks.size() - 1;
        textStart[index] = used;
        textLength[index] = bytes.length;
        used += bytes.length;
        held += bytes.length;
    }

    private void compactIfMostlyLeftover() {
        if (leftover <= CHUNK || leftover * 2 < held) {
            return;
        }
        List<byte[]> old = new ArrayList<>(chunks);
        chunks.clear();
        used = 0;
        held = 0;
        leftover = 0;
        // line i's place in the old chunks is read before storeText(i, ...) moves it
        for (int i = 0; i < size; i++) {
            storeText(i, textOf(i, old));
        }
    }

    private String textOf(int index, List<byte[]> in) {
        int length = textLength[index];
        return length < 0
                ? null
                : new String(in.get(textChunk[index]), textStart[index], length, StandardCharsets.UTF_8);
    }

    private void shift(int from, int to, int count) {
        System.arraycopy(seconds, from, seconds, to, count);
        System.arraycopy(nanos, from, nanos, to, count);
        System.arraycopy(kinds, from, kinds, to, count);
        System.arraycopy(senders, from, senders, to, count);
        System.arraycopy(scopes, from, scopes, to, count);
        System.arraycopy(statuses, from, statuses, to, count);
        System.arraycopy(attachments, from, attachments, to, count);
        System.arraycopy(textChunk, from, textChunk, to, count);
        System.arraycopy(textStart, from, textStart, to, count);
        System.arraycopy(textLength, from, textLength, to, count);
    }

    private void grow() {
        int capacity = seconds.length * 2;
        seconds = Arrays.copyOf(seconds, capacity);
        nanos = Arrays.copyOf(nanos, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
        senders = Arrays.copyOf(senders, capacity);
        scopes = Arrays.copyOf(scopes, capacity);
        statuses = Arrays.copyOf(statuses, capacity);
        attachments = Arrays.copyOf(attachments, capacity);
        textChunk = Arrays.copyOf(textChunk, capacity);
        textStart = Arrays.copyOf(textStart, capacity);
        textLength = Arrays.copyOf(textLength, capacity);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Index: " + index + ", size: " + size);
        }
    }
}
