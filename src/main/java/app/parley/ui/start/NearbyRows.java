package app.parley.ui.start;

import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The sessions found on the network, one row per {@link NearbySession#key()}, sorted by name.
 * Changed on the FX thread only: the events reach it through the view model's one hop.
 */
final class NearbyRows {
    /**
     * More rows than any real network has: a flood of advertisements (hostile or broken) stops
     * growing the list here instead of taking the window's memory.
     */
    static final int MAX_ROWS = 256;

    private static final Comparator<NearbySession> ORDER = Comparator.comparing(
                    NearbySession::name, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(NearbySession::name)
            .thenComparing(NearbySession::key);

    private final ObservableList<NearbySession> rows = FXCollections.observableArrayList();
    private final ObservableList<NearbySession> readOnly = FXCollections.unmodifiableObservableList(rows);

    ObservableList<NearbySession> rows() {
        return readOnly;
    }

    void apply(NearbyEvent event) {
        if (event instanceof NearbyEvent.Found found) {
            put(found.session());
        } else if (event instanceof NearbyEvent.Lost lost) {
            int index = indexOf(lost.key());
            if (index >= 0) {
                rows.remove(index);
            }
        }
    }

    /** The row a person could also reach by typing {@code address}, if one is listed. */
    Optional<NearbySession> atAddress(String address) {
        return rows.stream().filter(s -> s.address().equals(address)).findFirst();
    }

    private void put(NearbySession session) {
        int existing = indexOf(session.key());
        if (existing >= 0) {
            NearbySession old = rows.get(existing);
            if (old.equals(session)) {
                return;
            }
            if (fitsAt(existing, session)) {
                // Same place: replace in place, so a selected row stays selected.
                rows.set(existing, session);
                return;
            }
            rows.remove(existing);
        } else if (rows.size() >= MAX_ROWS) {
            return;
        }
        int found = Collections.binarySearch(rows, session, ORDER);
        rows.add(found < 0 ? -found - 1 : found, session);
    }

    private boolean fitsAt(int index, NearbySession session) {
        boolean afterPrevious = index == 0 || ORDER.compare(rows.get(index - 1), session) <= 0;
        boolean beforeNext = index == rows.size() - 1 || ORDER.compare(session, rows.get(index + 1)) <= 0;
        return afterPrevious && beforeNext;
    }

    private int indexOf(String key) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
