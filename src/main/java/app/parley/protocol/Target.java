package app.parley.protocol;

/**
 * Who a message is for. On the wire all three travel as the {@code room} argument of
 * {@code send-message}: {@code ""} for everyone, a room name, or a socket id (every socket is
 * in the room named by its own id).
 */
public sealed interface Target {

    /** The value of the {@code room} argument on the wire. */
    String wireRoom();

    /** A short label for people: "everyone", "#design", "@abc123". */
    String label();

    /** Every other connected socket (Node: {@code socket.broadcast.emit}). */
    record Everyone() implements Target {
        public String wireRoom() {
            return "";
        }

        public String label() {
            return "everyone";
        }
    }

    /** Members of a named room except the sender (Node: {@code socket.to(room).emit}). */
    record Room(String name) implements Target {
        public String wireRoom() {
            return name;
        }

        public String label() {
            return "#" + name;
        }
    }

    /** Exactly one socket, addressed by its id. */
    record Direct(String socketId) implements Target {
        public String wireRoom() {
            return socketId;
        }

        public String label() {
            return "@" + socketId;
        }
    }

    Target EVERYONE = new Everyone();

    /** The target a {@code room} argument of {@code send-message} names (a 36-character UUID is a socket). */
    static Target fromWireRoom(String room) {
        if (room == null || room.isEmpty()) {
            return EVERYONE;
        }
        boolean socketId =
                room.length() == 36 && room.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        return socketId ? new Direct(room) : new Room(room);
    }
}
