package app.parley.ui.start;

import app.parley.settings.RecentSession;
import app.parley.settings.Settings;
import java.util.Optional;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The recent list as shown: a copy of {@link Settings#recentSessions()}, kept in step on the FX thread. */
final class RecentRows {
    private final Settings settings;
    private final ObservableList<RecentSession> rows = FXCollections.observableArrayList();
    private final ObservableList<RecentSession> readOnly = FXCollections.unmodifiableObservableList(rows);

    RecentRows(Settings settings) {
        this.settings = settings;
        rows.setAll(settings.recentSessions());
    }

    ObservableList<RecentSession> rows() {
        return readOnly;
    }

    void remember(RecentSession joined) {
        settings.rememberJoined(joined);
        rows.setAll(settings.recentSessions());
    }

    void forget(RecentSession session) {
        settings.forgetRecent(session.address());
        rows.setAll(settings.recentSessions());
    }

    /** The name {@code address} was listed under, if it is listed. */
    Optional<String> nameOf(String address) {
        return rows.stream()
                .filter(r -> r.address().equals(address))
                .map(RecentSession::name)
                .findFirst();
    }
}
