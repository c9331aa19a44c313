package app.parley.host;

import app.parley.engine.SocketIoEngine;

/**
 * The parts of one running host that its admission and its chat rules share: made anew by each
 * {@link HostServer#start()}.
 *
 * @param guests what is known of each socket, its user included ({@link Guest})
 */
record HostParts(SocketIoEngine engine, History history, Presence presence, Names names, Guests guests) {}
