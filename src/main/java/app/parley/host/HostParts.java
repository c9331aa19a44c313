package app.parley.host;

import app.parley.engine.SocketIoEngine;
import app.parley.store.FileShelf;

/**
 * The parts of one running host that its admission and its chat rules share: made anew by each
 * {@link HostServer#start()}.
 *
 * @param guests what is known of each socket, its user included ({@link Guest})
 * @param shelf  the bytes of shared files (docs/PROTOCOL.md §15)
 * @param rooms  where room sends go: this host's sockets and, in a cluster, the other servers'
 */
record HostParts(
        SocketIoEngine engine,
        History history,
        Presence presence,
        Names names,
        Guests guests,
        FileShelf shelf,
        Rooms rooms) {}
