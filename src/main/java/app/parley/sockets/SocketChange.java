package app.parley.sockets;

/**
 * A change in the inventory, as its listeners hear it. Each carries the socket as it is after
 * the change ({@link Disconnected}: as it was last).
 */
public sealed interface SocketChange {
    SocketInfo socket();

    record Connected(SocketInfo socket) implements SocketChange {}

    /** @param reason why, in the engine's words ({@code transport close}, {@code kicked by an admin}, …) */
    record Disconnected(SocketInfo socket, String reason) implements SocketChange {}

    record RoomJoined(SocketInfo socket, String room) implements SocketChange {}

    record RoomLeft(SocketInfo socket, String room) implements SocketChange {}

    /** Its chat name changed. */
    record Renamed(SocketInfo socket) implements SocketChange {}

    /** Its connection moved to another transport (polling to websocket). */
    record TransportChanged(SocketInfo socket) implements SocketChange {}
}
