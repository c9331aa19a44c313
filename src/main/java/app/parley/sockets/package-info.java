/**
 * The host's socket inventory: every connected socket with its namespace, transport, address,
 * rooms and traffic, and listeners for changes. A read model with no UI and no socket library in
 * it, so that the Admin UI protocol ({@code app.parley.admin}), a window's "Sockets" pane and tests
 * all read the same thing; the host writes it through {@link app.parley.sockets.SocketRecorder}
 * and acts on sockets through {@link app.parley.sockets.SocketControl}.
 */
package app.parley.sockets;
