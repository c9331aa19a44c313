package app.parley.workbench;

import java.util.List;

/** Which Engine.IO transports a connection may use, as the library's {@code transports} option names them. */
public enum Transports {
    /** HTTP long-polling first, then an upgrade to WebSocket: the library's default. */
    BOTH("Polling, then WebSocket", List.of("polling", "websocket")),
    POLLING("Polling only", List.of("polling")),
    WEBSOCKET("WebSocket only", List.of("websocket"));

    private final String label;
    private final List<String> names;

    Transports(String label, List<String> names) {
        this.label = label;
        this.names = names;
    }

    public List<String> names() {
        return names;
    }

    @Override
    public String toString() {
        return label;
    }

    /** The constant named {@code name}; {@link #BOTH} for anything else (a hand-edited file). */
    static Transports byName(String name) {
        for (Transports t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return BOTH;
    }
}
