package app.parley.host;

import app.parley.engine.SocketIoEngine;
import java.util.Map;
import java.util.UUID;

/**
 * The parts of one running host that its admission and its chat rules share: made anew by each
 * {@link HostServer#start()}.
 *
 * @param users each socket's user: stable across reconnects for Parley clients ({@link Users})
 */
record HostParts(SocketIoEngine engine, History history, Presence presence, Names names, Map<UUID, String> users) {
}
