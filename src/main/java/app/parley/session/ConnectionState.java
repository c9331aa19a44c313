package app.parley.session;

/** Where a session's connection stands; always shown in the status bar. */
public enum ConnectionState {
    CONNECTING("Connecting"),
    CONNECTED("Connected"),
    RECONNECTING("Reconnecting"),
    DISCONNECTED("Disconnected");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
