package app.parley.ui.chat;

import app.parley.protocol.JsonText;
import app.parley.session.ChatSession;
import app.parley.session.SessionEvent;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The event console: custom events sent and received, each line with the time it happened. */
final class EventConsole {
    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ObservableList<String> consoleLines = FXCollections.observableArrayList();
    private final ChatSession session;

    EventConsole(ChatSession session) {
        this.session = session;
    }

    ObservableList<String> lines() {
        return consoleLines;
    }

    /** See {@link ChatViewModel#emitCustom}. */
    String emit(String event, String argumentsJson) {
        try {
            List<Object> args = JsonText.parseArguments(argumentsJson);
            session.emitCustom(event == null ? "" : event.strip(), args);
            console("sent " + event.strip() + " " + JsonText.write(args));
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    void received(SessionEvent.CustomEventReceived custom) {
        console("received " + custom.name() + " " + JsonText.write(custom.args())
                + (custom.source() == null ? "" : " from " + custom.source()));
    }

    private void console(String line) {
        consoleLines.add(LocalTime.now(ZoneId.systemDefault()).format(CONSOLE_TIME) + "  " + line);
    }
}
