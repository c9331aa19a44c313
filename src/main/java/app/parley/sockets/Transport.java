package app.parley.sockets;

/** How a socket's connection reaches the host now: long-polling, or its WebSocket. */
public enum Transport {
    POLLING("polling"),
    WEBSOCKET("websocket");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    /** The Engine.IO name: {@code polling} or {@code websocket}. */
    public String wireName() {
        return wireName;
    }
}
