package app.parley.ui.lines;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.TransformationList;

/**
 * The last {@link #limit()} elements of a list, as a list of their own: what the conversation
 * view shows. A {@code ListView} lays out in time that grows with its item count (its
 * {@code VirtualFlow} sums cell heights over every item on each change and scroll), so at
 * thousands of messages a second a conversation of 100,000 lines would stall every frame; the
 * window keeps that work to the lines near the bottom. Nothing is dropped: the source keeps every
 * line, and {@link #showMore} widens the window when the person scrolls up to its top.
 *
 * <p>Lines appended to the source are appended here, and as many leave the window's top: one
 * list change per source change. Other changes (a status set in place, a divider, an older page)
 * become the smallest change that turns the old window into the new one.
 */
public final class TailWindow<E> extends TransformationList<E, E> {
    private final int initialLimit;
    private int limit;
    /** What the window shows now: the source's last {@code limit} elements, copied. */
    private final List<E> shown = new ArrayList<>();

    public TailWindow(ObservableList<E> source, int limit) {
        super(source);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.initialLimit = limit;
        this.limit = limit;
        shown.addAll(tailOf(source));
    }

    /** At most this many of the source's last elements are shown. */
    public int limit() {
        return limit;
    }

    /** Whether the source holds elements before the window's first. */
    public boolean hasMore() {
        return getSource().size() > shown.size();
    }

    /**
     * Shows up to {@code count} more elements above the first one shown.
     *
     * @return how many were added at the top
     */
    public int showMore(int count) {
        int before = shown.size();
        limit = Math.max(limit, before) + count;
        reconcile(null);
        return shown.size() - before;
    }

    /** Back to the limit it was made with (the lines above leave the window). */
    public void shrinkToInitial() {
        if (limit != initialLimit) {
            limit = initialLimit;
            reconcile(null);
        }
    }

    @Override
    public E get(int index) {
        return shown.get(index);
    }

    @Override
    public int size() {
        return shown.size();
    }

    @Override
    public int getSourceIndex(int index) {
        if (index < 0 || index >= shown.size()) {
            throw new IndexOutOfBoundsException(index);
        }
        return offset() + index;
    }

    @Override
    public int getViewIndex(int index) {
        int view = index - offset();
        return view >= 0 && view < shown.size() ? view : -1;
    }

    @Override
    protected void sourceChanged(ListChangeListener.Change<? extends E> change) {
        reconcile(change);
    }

    private int offset() {
        return getSource().size() - shown.size();
    }

    private List<? extends E> tailOf(List<? extends E> source) {
        return source.subList(Math.max(0, source.size() - limit), source.size());
    }

    /** Brings {@link #shown} up to date with the source and tells listeners what changed. */
    private void reconcile(ListChangeListener.Change<? extends E> change) {
        ObservableList<? extends E> source = getSource();
        if (change != null && appendedOnly(change)) {
            append(change, source);
            return;
        }
        List<? extends E> now = tailOf(source);
        // The smallest replacement: what the old and new windows share at both ends stays.
        int oldSize = shown.size();
        int newSize = now.size();
        int prefix = 0;
        while (prefix < oldSize && prefix < newSize && shown.get(prefix) == now.get(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < oldSize - prefix
                && suffix < newSize - prefix
                && shown.get(oldSize - 1 - suffix) == now.get(newSize - 1 - suffix)) {
            suffix++;
        }
        if (prefix == oldSize && prefix == newSize) {
            return; // e.g. an older page arrived above a full window: nothing here changed
        }
        List<E> removed = new ArrayList<>(shown.subList(prefix, oldSize - suffix));
        List<? extends E> added = now.subList(prefix, newSize - suffix);
        beginChange();
        shown.subList(prefix, oldSize - suffix).clear();
        shown.addAll(prefix, added);
        if (!removed.isEmpty()) {
            nextRemove(prefix, removed);
        }
        if (!added.isEmpty()) {
            nextAdd(prefix, prefix + added.size());
        }
        endChange();
    }

    /** Only additions at the end of the source: the common case while messages stream in. */
    private static boolean appendedOnly(ListChangeListener.Change<?> change) {
        change.reset();
        try {
            if (!change.next()) {
                return false;
            }
            boolean atEnd = change.wasAdded()
                    && !change.wasRemoved()
                    && !change.wasPermutated()
                    && !change.wasUpdated()
                    && change.getTo() == change.getList().size();
            return atEnd && !change.next();
        } finally {
            change.reset();
        }
    }

    private void append(ListChangeListener.Change<? extends E> change, ObservableList<? extends E> source) {
        change.next();
        int from = change.getFrom();
        int keep = Math.min(limit, source.size()); // the window's size afterwards
        int firstShown = source.size() - keep; // source index of its first element
        int dropped = Math.min(shown.size(), Math.max(0, firstShown - (from - shown.size())));
        // from - shown.size() is where the old window began in the source.
        beginChange();
        if (dropped > 0) {
            List<E> gone = new ArrayList<>(shown.subList(0, dropped));
            shown.subList(0, dropped).clear();
            nextRemove(0, gone);
        }
        int addFrom = Math.max(from, firstShown);
        int at = shown.size();
        shown.addAll(source.subList(addFrom, source.size()));
        nextAdd(at, shown.size());
        endChange();
    }
}
